/**
 * population.csv: Bochum and Bottrop fully synthetic 2017–2024; Köln the real
 * table 020 (2005–2012, all levels, unchanged) plus a synthetic continuation
 * 2013–2024 that starts from the real 2012 values of each Stadtteil.
 */
import {type CityModel, leafIdsBelow} from "./areas.ts";
import {
  ADULT_BANDS_COARSE,
  CHILD_BANDS,
  KOELN_BANDS,
  KOELN_POPULATION_SYNTHETIC_YEARS,
  SYNTHETIC,
  YEARS
} from "./cities.ts";
import type {Row} from "./csv.ts";
import type {NeedMap} from "./need.ts";
import type {KoelnPopulationRow} from "./real.ts";
import {Rng} from "./rng.ts";

export const KOELN_POPULATION_SOURCE = "Stadt Köln, CC-BY (KoelnAPI/data), Tabelle 020 Einwohner nach Alter";

/** Population counts by year, area (all levels) and age band. */
export class Population {
  private readonly data = new Map<string, number>();
  readonly bands: readonly string[];
  readonly years: number[] = [];
  /** Years whose rows are real (Köln 2005–2012). */
  readonly realYears = new Set<number>();

  constructor(bands: readonly string[]) {
    this.bands = bands;
  }

  private key(year: number, area: string, band: string): string {
    return `${year}|${area}|${band}`;
  }

  set(year: number, area: string, band: string, count: number): void {
    if (!this.years.includes(year)) {
      this.years.push(year);
      this.years.sort((a, b) => a - b);
    }
    this.data.set(this.key(year, area, band), count);
  }

  get(year: number, area: string, band: string): number {
    const v = this.data.get(this.key(year, area, band));
    if (v === undefined) throw new Error(`no population for ${year}/${area}/${band}`);
    return v;
  }

  has(year: number, area: string, band: string): boolean {
    return this.data.has(this.key(year, area, band));
  }

  sum(year: number, area: string, bands: readonly string[]): number {
    return bands.reduce((s, b) => s + this.get(year, area, b), 0);
  }

  /** Fill the non-leaf areas of the given years with the sums of their leaves. */
  aggregate(model: CityModel, years: readonly number[]): void {
    for (const year of years) {
      for (const area of model.areas) {
        const leaves = leafIdsBelow(model, area.id);
        if (leaves.length === 1 && leaves[0] === area.id) continue;
        for (const band of this.bands) {
          this.set(year, area.id, band, leaves.reduce((s, l) => s + this.get(year, l, band), 0));
        }
      }
    }
  }

  rows(model: CityModel, realSource: string): Row[] {
    const out: Row[] = [];
    for (const year of this.years) {
      for (const area of model.areas) {
        for (const band of this.bands) {
          if (!this.has(year, area.id, band)) continue;
          out.push({
            year,
            area_id: area.id,
            age_band: band,
            count: this.get(year, area.id, band),
            source: this.realYears.has(year) ? realSource : SYNTHETIC
          });
        }
      }
    }
    return out;
  }
}

export const POPULATION_COLUMNS = ["year", "area_id", "age_band", "count", "source"] as const;

const RUHR_BANDS = [...CHILD_BANDS, ...ADULT_BANDS_COARSE];

/** Yearly growth of each band (Ruhr cities, mild): fraction per year, for the step from year-1 to year. */
function ruhrGrowth(band: string, year: number): number {
  switch (band) {
    case "0-3":
      return year <= 2021 ? 0.0 : year === 2022 ? 0.01 : -0.03;
    case "3-6":
      return year === 2022 ? 0.02 : 0.005;
    case "6-10":
    case "10-15":
    case "15-18":
      return year === 2022 ? 0.02 : 0.004;
    case "18-25":
      return -0.005;
    case "25-45":
      return 0.002;
    case "45-65":
      return -0.01;
    case "65-75":
      return 0.01;
    default:
      return 0.005;
  }
}

export interface RuhrPopulationSpec {
  total: number;
  /** Share of the total per band in the first year. */
  bandShare: Readonly<Record<string, number>>;
  /** Population share of each leaf (sums to 1). */
  areaShare: Map<string, number>;
}

export const BOCHUM_BAND_SHARE: Readonly<Record<string, number>> = {
  "0-3": 0.0181, "3-6": 0.0192, "6-10": 0.0265, "10-15": 0.0345, "15-18": 0.0218,
  "18-25": 0.092, "25-45": 0.27, "45-65": 0.29, "65-75": 0.105, "75+": 0.1229
};
export const BOTTROP_BAND_SHARE: Readonly<Record<string, number>> = {
  "0-3": 0.0265, "3-6": 0.027, "6-10": 0.036, "10-15": 0.046, "15-18": 0.029,
  "18-25": 0.075, "25-45": 0.245, "45-65": 0.30, "65-75": 0.11, "75+": 0.1055
};

/**
 * Bochum / Bottrop: leaf × band × year. Children are over-represented where
 * need is high (factor exp(0.12·need)), older people under-represented
 * (exp(−0.08·need)); each series carries the band trend and ±1 % noise.
 */
export function ruhrPopulation(model: CityModel, need: NeedMap, spec: RuhrPopulationSpec, seed: number | string): Population {
  const rng = Rng.derive(seed, `population:${model.id}`);
  const pop = new Population(RUHR_BANDS);
  const first = YEARS[0]!;
  for (const leaf of model.leaves) {
    const n = need.get(leaf.id) ?? 0;
    const share = spec.areaShare.get(leaf.id);
    if (share === undefined) throw new Error(`no population share for ${leaf.id}`);
    for (const band of RUHR_BANDS) {
      const isChild = (CHILD_BANDS as readonly string[]).includes(band);
      const old = band === "65-75" || band === "75+";
      const tilt = isChild ? Math.exp(0.12 * n) : old ? Math.exp(-0.08 * n) : 1;
      let value = spec.total * share * (spec.bandShare[band] ?? 0) * tilt;
      for (const year of YEARS) {
        if (year > first) value *= 1 + ruhrGrowth(band, year) + rng.normal(0, 0.004);
        pop.set(year, leaf.id, band, Math.max(0, Math.round(value * (1 + rng.normal(0, 0.006)))));
      }
    }
  }
  pop.aggregate(model, YEARS);
  return pop;
}

/** Köln band growth per year (fraction), a smooth stylised path 2013–2024. */
function koelnGrowth(band: string, year: number): number {
  switch (band) {
    case "0-3":
      return year <= 2016 ? 0.02 : year <= 2020 ? 0.005 : year === 2021 ? -0.01 : year === 2022 ? 0.005 : -0.03;
    case "3-6":
      return year <= 2019 ? 0.015 : year === 2022 ? 0.02 : year <= 2021 ? 0.005 : -0.005;
    case "6-10":
      return year === 2022 ? 0.025 : year <= 2019 ? 0.015 : 0.01;
    case "10-15":
      return year === 2022 ? 0.025 : year <= 2017 ? 0.005 : 0.015;
    case "15-18":
      return year === 2022 ? 0.02 : year <= 2018 ? -0.005 : 0.01;
    case "18-25":
      return year === 2020 ? -0.02 : year === 2022 ? 0.01 : 0.005;
    case "25-35":
      return year <= 2019 ? 0.005 : year <= 2021 ? -0.015 : -0.005;
    case "35-45":
      return year <= 2016 ? -0.01 : 0.01;
    case "45-55":
      return year <= 2016 ? 0 : -0.015;
    case "55-60":
      return year <= 2019 ? 0.025 : -0.01;
    case "60-65":
      return year <= 2022 ? 0.025 : 0;
    case "65-75":
      return year <= 2018 ? -0.005 : 0.01;
    default:
      return 0.01;
  }
}

export function koelnPopulation(model: CityModel, realRows: readonly KoelnPopulationRow[], seed: number | string): Population {
  const rng = Rng.derive(seed, "population:koeln");
  const pop = new Population(KOELN_BANDS);
  const known = new Set(model.areas.map((a) => a.id));
  for (const r of realRows) {
    if (!known.has(r.raum_id)) throw new Error(`Köln population: unknown raum_id ${r.raum_id}`);
    if (!(KOELN_BANDS as readonly string[]).includes(r.age_band)) throw new Error(`Köln population: band ${r.age_band}`);
    pop.set(r.year, r.raum_id, r.age_band, r.count);
    pop.realYears.add(r.year);
  }
  const lastReal = Math.max(...pop.realYears);
  for (const leaf of model.leaves) {
    const areaDrift = rng.normal(0, 0.004);
    for (const band of KOELN_BANDS) {
      let value = pop.get(lastReal, leaf.id, band);
      for (const year of KOELN_POPULATION_SYNTHETIC_YEARS) {
        value *= 1 + koelnGrowth(band, year) + areaDrift + rng.normal(0, 0.006);
        pop.set(year, leaf.id, band, Math.max(0, Math.round(value)));
      }
    }
  }
  pop.aggregate(model, KOELN_POPULATION_SYNTHETIC_YEARS);
  return pop;
}
