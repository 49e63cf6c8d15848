/**
 * School-entry examinations (Schuleingangsuntersuchung, SEU): one simulated
 * child per examined child. Bochum and Bottrop get the microdata (seu.csv),
 * Köln gets the aggregated counts in indicators.csv.
 *
 * Child model: a family risk r = 0.55·need(area) + u(area, year) + N(0,1);
 * family language, Kita years, German level, SOPESS domains, BMI, U8/U9 and
 * measles vaccination depend on r (and on each other) through logistic or
 * threshold models calibrated to NRW-typical shares (docs/data-sources.md).
 */
import {type CityModel, leafIdsBelow} from "./areas.ts";
import {SYNTHETIC, YEARS} from "./cities.ts";
import type {Row} from "./csv.ts";
import type {NeedMap} from "./need.ts";
import type {Population} from "./population.ts";
import {Rng, invLogit, logit} from "./rng.ts";

export const SOPESS_DOMAINS = ["attention", "numbers", "visuomotor", "visual", "coordination", "language"] as const;
export type SopessDomain = (typeof SOPESS_DOMAINS)[number];
export type SopessValue = "unauffällig" | "grenzwertig" | "auffällig";
export type GermanLevel = "fehlerfrei" | "leichte Fehler" | "erhebliche Fehler" | "kein Deutsch";
export type BmiCategory = "starkes Untergewicht" | "Untergewicht" | "Normalgewicht" | "Übergewicht" | "Adipositas";

export interface SeuChild {
  year: number;
  areaId: string;
  sex: "m" | "w";
  ageMonths: number;
  sopess: Record<SopessDomain, SopessValue>;
  german: GermanLevel;
  bmi: BmiCategory;
  u8: boolean;
  u9: boolean;
  /** undefined: no vaccination record shown. */
  measles: 0 | 1 | 2 | undefined;
  kitaYears: number;
  familyLanguageGerman: boolean;
}

export interface SeuParams {
  /** City share of children whose family language is not German (at need 0, 2017). */
  nonGermanShare: number;
}

export const SEU_PARAMS: Readonly<Record<string, SeuParams>> = {
  bochum: {nonGermanShare: 0.3},
  bottrop: {nonGermanShare: 0.27},
  koeln: {nonGermanShare: 0.4}
};

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Share "auffällig" per SOPESS domain at need 0 and weight of a non-German family language. */
const SOPESS_SPEC: Readonly<Record<SopessDomain, {auffaellig: number; grenzwertig: number; language: number}>> = {
  attention: {auffaellig: 0.1, grenzwertig: 0.1, language: 0.2},
  numbers: {auffaellig: 0.09, grenzwertig: 0.1, language: 0.45},
  visuomotor: {auffaellig: 0.12, grenzwertig: 0.11, language: 0.1},
  visual: {auffaellig: 0.07, grenzwertig: 0.08, language: 0.15},
  coordination: {auffaellig: 0.08, grenzwertig: 0.09, language: 0.05},
  language: {auffaellig: 0.13, grenzwertig: 0.12, language: 0.9}
};

/** Effects of the school-entry year (COVID-19 years, measles protection act from March 2020, arrivals 2022). */
function yearEffects(year: number): {language: number; weight: number; checkups: number; measles: number; nonGerman: number} {
  return {
    language: year >= 2021 && year <= 2023 ? 0.15 : year === 2024 ? 0.1 : 0,
    weight: year >= 2021 ? 0.08 : 0,
    checkups: year === 2020 || year === 2021 ? -0.15 : 0,
    measles: year >= 2020 ? 0.35 : 0,
    nonGerman: 0.02 * (year - YEARS[0]!) + (year >= 2023 ? 0.1 : 0)
  };
}

const KITA_YEARS_REGULAR = [2, 3, 4, 5, 6];
const KITA_YEARS_WEIGHTS = [0.14, 0.42, 0.34, 0.09, 0.01];

export class ChildSimulator {
  private readonly sopessThresholds: Record<SopessDomain, {grenz: number; auff: number}>;
  private readonly bmiThresholds: number[];

  constructor(private readonly params: SeuParams) {
    const p = params.nonGermanShare;
    const varR = 1 + 0.55 * 0.55 * 0.8;
    const pLt2 = 0.1;
    this.sopessThresholds = {} as Record<SopessDomain, {grenz: number; auff: number}>;
    for (const d of SOPESS_DOMAINS) {
      const s = SOPESS_SPEC[d];
      const mean = s.language * p + 0.3 * pLt2;
      const sd = Math.sqrt(0.64 + 0.35 * 0.35 * varR + s.language ** 2 * p * (1 - p) + 0.09 * pLt2 * (1 - pLt2) + 1);
      this.sopessThresholds[d] = {
        auff: mean + sd * probit(1 - s.auffaellig),
        grenz: mean + sd * probit(1 - s.auffaellig - s.grenzwertig)
      };
    }
    const bmiMean = 0.25 * p;
    const bmiSd = Math.sqrt(0.3 * 0.3 * varR + 0.25 * 0.25 * p * (1 - p) + 1);
    // cumulative shares: <P3 2.5 %, <P10 7.5 %, ≤P90 88.5 %, ≤P97 95.5 % → overweight incl. obesity 11.5 %, obesity 4.5 %
    this.bmiThresholds = [0.025, 0.075, 0.885, 0.955].map((q) => bmiMean + bmiSd * probit(q));
  }

  child(rng: Rng, year: number, areaId: string, need: number, areaYearEffect: number): SeuChild {
    const ye = yearEffects(year);
    const r = 0.55 * need + areaYearEffect + rng.normal();
    const nonGerman = rng.bernoulli(invLogit(logit(this.params.nonGermanShare) + 0.6 * need + 0.2 * (r - 0.55 * need) + ye.nonGerman));
    const ng = nonGerman ? 1 : 0;
    const lt2 = rng.bernoulli(invLogit(-2.7 + 0.45 * r + 1.0 * ng));
    const kitaYears = lt2 ? (rng.bernoulli(0.2) ? 0 : 1) : KITA_YEARS_REGULAR[rng.weightedIndex(KITA_YEARS_WEIGHTS)]!;
    const lt2n = lt2 ? 1 : 0;

    let german: GermanLevel;
    if (!nonGerman) {
      const l = 0.45 * r + 0.6 * lt2n + ye.language + rng.logistic();
      german = l < 2.6 ? "fehlerfrei" : l < 4.2 ? "leichte Fehler" : l < 6.5 ? "erhebliche Fehler" : "kein Deutsch";
    } else {
      const l = 0.5 * r + 1.2 * lt2n + ye.language + rng.logistic();
      german = l < -0.6 ? "fehlerfrei" : l < 0.6 ? "leichte Fehler" : l < 2.2 ? "erhebliche Fehler" : "kein Deutsch";
    }

    const g = rng.normal();
    const sopess = {} as Record<SopessDomain, SopessValue>;
    for (const d of SOPESS_DOMAINS) {
      const s = SOPESS_SPEC[d];
      const t = this.sopessThresholds[d];
      const yl = d === "language" || d === "numbers" ? ye.language : 0;
      const l = 0.8 * g + 0.35 * r + s.language * ng + 0.3 * lt2n + yl + rng.normal();
      sopess[d] = l > t.auff ? "auffällig" : l > t.grenz ? "grenzwertig" : "unauffällig";
    }

    const b = 0.3 * r + 0.25 * ng + ye.weight + rng.normal();
    const [t1, t2, t3, t4] = this.bmiThresholds as [number, number, number, number];
    const bmi: BmiCategory =
      b < t1 ? "starkes Untergewicht" : b < t2 ? "Untergewicht" : b <= t3 ? "Normalgewicht" : b <= t4 ? "Übergewicht" : "Adipositas";

    const u8 = rng.bernoulli(invLogit(logit(0.93) - 0.35 * r - 0.5 * ng + ye.checkups));
    const u9 = rng.bernoulli(invLogit(logit(0.9) - 0.35 * r - 0.5 * ng + ye.checkups));
    let measles: 0 | 1 | 2 | undefined;
    if (rng.bernoulli(invLogit(logit(0.9) - 0.3 * r - 0.2 * ng + ye.measles))) {
      if (rng.bernoulli(invLogit(logit(0.93) - 0.25 * r + ye.measles))) measles = 2;
      else measles = rng.bernoulli(0.6) ? 1 : 0;
    }
    const sex = rng.bernoulli(0.513) ? "m" : "w";
    const ageMonths = Math.min(86, Math.max(60, Math.round(rng.normal(73, 3.8))));
    return {year, areaId, sex, ageMonths, sopess, german, bmi, u8, u9, measles, kitaYears, familyLanguageGerman: !nonGerman};
  }
}

/**
 * Number of examined children per leaf and year: one third of the 3–6 band of
 * the leaf (≈ one birth cohort) with ±3 % noise.
 */
function cohortSize(rng: Rng, pop: Population, year: number, areaId: string): number {
  return Math.max(0, Math.round((pop.get(year, areaId, "3-6") / 3) * (1 + rng.normal(0, 0.015))));
}

/** Simulate all examined children of a city, leaves × years, in a fixed order. */
export function simulateSeu(model: CityModel, need: NeedMap, pop: Population, seed: number | string): SeuChild[] {
  const params = SEU_PARAMS[model.id];
  if (!params) throw new Error(`no SEU parameters for ${model.id}`);
  const sim = new ChildSimulator(params);
  const out: SeuChild[] = [];
  for (const year of YEARS) {
    for (const leaf of model.leaves) {
      const rng = Rng.derive(seed, `seu:${model.id}:${year}:${leaf.id}`);
      const n = cohortSize(rng, pop, year, leaf.id);
      const u = rng.normal(0, 0.08);
      const areaNeed = need.get(leaf.id) ?? 0;
      for (let i = 0; i < n; i++) out.push(sim.child(rng, year, leaf.id, areaNeed, u));
    }
  }
  return out;
}

export const SEU_COLUMNS = [
  "year", "area_id", "sex", "age_months",
  "sopess_attention", "sopess_numbers", "sopess_visuomotor", "sopess_visual", "sopess_coordination", "sopess_language",
  "german_level", "bmi_category", "u8_documented", "u9_documented", "measles_doses", "kita_years",
  "family_language_german", "source"
] as const;

const yn = (b: boolean): string => (b ? "ja" : "nein");

export function seuRows(children: readonly SeuChild[]): Row[] {
  return children.map((c) => ({
    year: c.year,
    area_id: c.areaId,
    sex: c.sex,
    age_months: c.ageMonths,
    sopess_attention: c.sopess.attention,
    sopess_numbers: c.sopess.numbers,
    sopess_visuomotor: c.sopess.visuomotor,
    sopess_visual: c.sopess.visual,
    sopess_coordination: c.sopess.coordination,
    sopess_language: c.sopess.language,
    german_level: c.german,
    bmi_category: c.bmi,
    u8_documented: yn(c.u8),
    u9_documented: yn(c.u9),
    measles_doses: c.measles,
    kita_years: c.kitaYears,
    family_language_german: yn(c.familyLanguageGerman),
    source: SYNTHETIC
  }));
}

/** The catalogue's SEU indicators as numerator/denominator predicates over children. */
export const SEU_INDICATORS: readonly {id: string; num: (c: SeuChild) => boolean; den: (c: SeuChild) => boolean}[] = [
  ...SOPESS_DOMAINS.map((d) => ({id: `seu_sopess_${d}`, num: (c: SeuChild) => c.sopess[d] === "auffällig", den: () => true})),
  {id: "seu_german_support", num: (c) => c.german === "erhebliche Fehler" || c.german === "kein Deutsch", den: () => true},
  {id: "seu_overweight", num: (c) => c.bmi === "Übergewicht" || c.bmi === "Adipositas", den: () => true},
  {id: "seu_obesity", num: (c) => c.bmi === "Adipositas", den: () => true},
  {id: "seu_u8", num: (c) => c.u8, den: () => true},
  {id: "seu_u9", num: (c) => c.u9, den: () => true},
  {id: "seu_measles2", num: (c) => c.measles === 2, den: (c) => c.measles !== undefined},
  {id: "seu_kita_lt2", num: (c) => c.kitaYears < 2, den: () => true},
  {id: "seu_family_lang_nongerman", num: (c) => !c.familyLanguageGerman, den: () => true}
];

/** Aggregate children to indicator rows for every area on every level (Köln path). */
export function seuIndicatorRows(model: CityModel, children: readonly SeuChild[]): Row[] {
  const counts = new Map<string, {num: number; den: number}>();
  for (const c of children) {
    for (const ind of SEU_INDICATORS) {
      if (!ind.den(c)) continue;
      const key = `${c.year}|${c.areaId}|${ind.id}`;
      const cell = counts.get(key) ?? {num: 0, den: 0};
      cell.den++;
      if (ind.num(c)) cell.num++;
      counts.set(key, cell);
    }
  }
  const rows: Row[] = [];
  for (const year of YEARS) {
    for (const area of model.areas) {
      const leaves = leafIdsBelow(model, area.id);
      for (const ind of SEU_INDICATORS) {
        let num = 0;
        let den = 0;
        for (const l of leaves) {
          const cell = counts.get(`${year}|${l}|${ind.id}`);
          if (cell) {
            num += cell.num;
            den += cell.den;
          }
        }
        if (den === 0) continue;
        rows.push({year, area_id: area.id, indicator_id: ind.id, numerator: num, denominator: den, source: SYNTHETIC});
      }
    }
  }
  return rows;
}
