/**
 * measures.csv and programme_totals.csv.
 *
 * Bochum: the real kinderstark funding lists 2023 (bewilligt) and 2024
 * (beantragt) from the "Strategie- und Handlungsprogramm Bochumer
 * Präventionskette – kinderstark in NRW" (Stand 05.02.2024), section 5,
 * transcribed line by line; amounts and declared totals exactly as printed
 * (the 2024 items add up to 398.450 € while the declared total is 398.400 €).
 * Handlungsfeld and life phases follow the document's Handlungsfeld sections
 * where it names the measure; otherwise they are derived from the measure's
 * content and the `classification_note` says so. Reach is synthetic and marked
 * in `reach_source`.
 *
 * Bottrop and Köln: synthetic measure lists (every field synthetic).
 */
import type {CityModel} from "./areas.ts";
import {SYNTHETIC, YEARS} from "./cities.ts";
import type {Row} from "./csv.ts";
import type {NeedMap} from "./need.ts";
import type {Population} from "./population.ts";
import {Rng} from "./rng.ts";

export const MEASURE_COLUMNS = [
  "year", "programme", "measure", "provider", "amount_eur", "status", "handlungsfeld", "life_phases", "areas",
  "target_group", "reach", "reach_unit", "source", "reach_source", "label_original", "classification_note"
] as const;
export const TOTALS_COLUMNS = ["year", "programme", "status", "declared_total_eur", "source"] as const;

export const BOCHUM_DOC =
  "Stadt Bochum, Strategie- und Handlungsprogramm „Bochumer Präventionskette – kinderstark in NRW“, Stand 05.02.2024";

export type TargetGroup =
  | "births" | "children_0_3" | "children_3_6" | "children_6_10" | "children_10_15" | "children_15_18" | "children_0_18" | "families";

export interface BochumMeasure {
  year: 2023 | 2024;
  labelOriginal: string;
  measure: string;
  provider: string;
  amount: number;
  handlungsfeld: string;
  lifePhases: string;
  areas: string;
  targetGroup: TargetGroup;
  reachUnit: "persons" | "families" | "";
  /** Synthetic reach: share of the target population, or a fixed count (families), or none. */
  reach: {share: number} | {count: number} | null;
  note: string;
}

const ALL_PHASES = "schwangerschaft|0-3|3-6|6-10|10-16|16-27";

const GESCHAEFTSSTELLE = {
  measure: "Geschäftsstelle Bochumer Präventionskette",
  provider: "Stadt Bochum, Jugendamt",
  handlungsfeld: "I|II|III|IV|V|VI|VII",
  lifePhases: ALL_PHASES,
  areas: "stadtweit",
  targetGroup: "children_0_18" as const,
  reachUnit: "" as const,
  reach: null,
  note:
    "Zuordnung abgeleitet: Querschnittsaufgabe – die Geschäftsstelle koordiniert alle sieben Handlungsfelder (Abschn. 3.1) " +
    "entlang der ganzen Präventionskette von der Schwangerschaft bis zum Berufseintritt (Abschn. 1); Träger laut Abschn. 1.3 im Jugendamt angesiedelt; keine Reichweite"
};
const BABYLOTSEN = {
  measure: "Babylotsen",
  provider: "Bunter Kreis",
  handlungsfeld: "II",
  lifePhases: "schwangerschaft|0-3",
  areas: "stadtweit",
  targetGroup: "births" as const,
  reachUnit: "families" as const,
  note:
    "HF II laut Dokument (Abschn. 3.3.3, laufende Maßnahme „Verstetigung von Babylotsen“); Lebensphasen abgeleitet " +
    "(Pressetext Stadt Bochum: Kontakt zu werdenden und jungen Müttern in der Geburtsklinik)"
};
const LOTSEN_ARZT = {
  measure: "Lotsendienste in Kinderarztpraxen",
  provider: "Amt 53 (Gesundheitsamt)",
  handlungsfeld: "II",
  lifePhases: "0-3|3-6",
  areas: "stadtweit",
  targetGroup: "children_0_3" as const,
  reachUnit: "families" as const,
  reach: {share: 0.12},
  note: "HF II laut Dokument (Abschn. 3.3.3, „Lotsendienste in Arztpraxen“); Lebensphasen abgeleitet (Kinderarztpraxen, Vorsorge bis zur Einschulung)"
};
const IFAK = {
  measure: "Stadtteilarbeit",
  provider: "IFAK, Ronahi",
  handlungsfeld: "II|IV",
  lifePhases: "0-3|3-6|6-10|10-16",
  areas: "stadtweit",
  targetGroup: "families" as const,
  reachUnit: "families" as const,
  reach: {count: 160},
  note:
    "Zuordnung abgeleitet: Migrationsarbeit in Stadtteilen (HF II laufende Maßnahme „Stärkung der Migrationsarbeit in Bochumer Stadtteilen“, " +
    "HF IV Integration); Stadtteil im Dokument nicht genannt → stadtweit"
};
const SKFM = {
  measure: "Stadtteilarbeit (Väter)",
  provider: "SKFM Wattenscheid",
  handlungsfeld: "II",
  lifePhases: "0-3|3-6|6-10",
  areas: "2",
  targetGroup: "families" as const,
  reachUnit: "families" as const,
  reach: {count: 110},
  note:
    "HF II laut Dokument (Abschn. 3.3.3 Handlungsschwerpunkt „Väterarbeit in Bochumer Stadtteilen“); „WAT“ = Wattenscheid (Stadtbezirk 2); Lebensphasen abgeleitet"
};
const HEBAMMEN = {
  measure: "Hebammenversorgung",
  provider: "ASB",
  handlungsfeld: "V",
  lifePhases: "schwangerschaft|0-3",
  areas: "stadtweit",
  targetGroup: "births" as const,
  reachUnit: "families" as const,
  reach: {share: 0.08},
  note: "Zuordnung abgeleitet: Frühe Hilfen „rund um die Geburt“ (HF V, Abschn. 3.3.6); im Dokument keinem Handlungsfeld zugeordnet"
};

export const BOCHUM_MEASURES: readonly BochumMeasure[] = [
  {year: 2023, labelOriginal: "Geschäftsstelle Bochumer Präventionskette", amount: 95000, ...GESCHAEFTSSTELLE},
  {year: 2023, labelOriginal: "Babylotsen Bunter Kreis", amount: 85800, ...BABYLOTSEN, reach: {share: 0.64}},
  {year: 2023, labelOriginal: "Lotsendienste in Kinderarztpraxen Amt 53", amount: 66300, ...LOTSEN_ARZT},
  {
    year: 2023,
    labelOriginal: "EBIKA FPZ",
    measure: "EBIKA",
    provider: "FPZ",
    amount: 2870,
    handlungsfeld: "II",
    lifePhases: "0-3|3-6",
    areas: "stadtweit",
    targetGroup: "families",
    reachUnit: "families",
    reach: {count: 45},
    note: "Zuordnung abgeleitet und unsicher: Abkürzungen EBIKA und FPZ im Dokument nicht erläutert; als Eltern-/Familienberatung (HF II) eingeordnet"
  },
  {year: 2023, labelOriginal: "Stadtteilarbeit IFAK, Ronahi", amount: 15550, ...IFAK},
  {year: 2023, labelOriginal: "Stadtteilarbeit SKFM WAT (Väter)", amount: 25000, ...SKFM},
  {
    year: 2023,
    labelOriginal: "Soziales Kompetenztraining Ev. Jugendhilfe",
    measure: "Soziales Kompetenztraining",
    provider: "Ev. Jugendhilfe",
    amount: 13600,
    handlungsfeld: "VI",
    lifePhases: "6-10|10-16",
    areas: "stadtweit",
    targetGroup: "children_10_15",
    reachUnit: "persons",
    reach: {count: 180},
    note: "Zuordnung abgeleitet: schulische/außerschulische Förderung bei Brüchen (HF VI, Abschn. 3.3.7); im Dokument keinem Handlungsfeld zugeordnet"
  },
  {year: 2023, labelOriginal: "Hebammenversorgung ASB", amount: 16000, ...HEBAMMEN},
  {
    year: 2023,
    labelOriginal: "Stärken vor Ort – Digitale (Beziehungs)-Kompetenz von Familien WBZ",
    measure: "Stärken vor Ort – Digitale (Beziehungs)-Kompetenz von Familien",
    provider: "WBZ",
    amount: 48480,
    handlungsfeld: "II",
    lifePhases: "3-6|6-10|10-16",
    areas: "stadtweit",
    targetGroup: "families",
    reachUnit: "families",
    reach: {count: 420},
    note:
      "HF II abgeleitet aus dem Handlungsschwerpunkt „mobile Lernangebote im Rahmen der Digitalisierung und Medienkompetenz“ (Abschn. 3.3.3); Lebensphasen abgeleitet"
  },
  {year: 2024, labelOriginal: "Geschäftsstelle Bochumer Präventionskette", amount: 100000, ...GESCHAEFTSSTELLE},
  {year: 2024, labelOriginal: "Babylotsen Bunter Kreis", amount: 86600, ...BABYLOTSEN, reach: {share: 0.68}},
  {year: 2024, labelOriginal: "Lotsendienste in Kinderarztpraxen Amt 53", amount: 66300, ...LOTSEN_ARZT},
  {
    year: 2024,
    labelOriginal: "Lotsendienst für psychisch auffällige Eltern",
    measure: "Lotsendienst für psychisch auffällige Eltern",
    provider: "",
    amount: 44000,
    handlungsfeld: "II|III",
    lifePhases: "0-3|3-6|6-10|10-16",
    areas: "stadtweit",
    targetGroup: "families",
    reachUnit: "families",
    reach: {count: 90},
    note:
      "HF II und III laut Dokument (geplante Maßnahmen ab 01.01.2024 in Abschn. 3.3.3 und 3.3.4); Träger im Dokument nicht genannt; Lebensphasen abgeleitet"
  },
  {year: 2024, labelOriginal: "Stadtteilarbeit IFAK, Ronahi", amount: 15550, ...IFAK},
  {year: 2024, labelOriginal: "Stadtteilarbeit SKFM WAT (Väter)", amount: 25000, ...SKFM},
  {year: 2024, labelOriginal: "Hebammenversorgung ASB", amount: 18000, ...HEBAMMEN},
  {
    year: 2024,
    labelOriginal: "Elterntalk (und Stadtteilmütter) StA 40 RBB/KI",
    measure: "Elterntalk (und Stadtteilmütter)",
    provider: "StA 40 RBB/KI",
    amount: 10000,
    handlungsfeld: "I|IV",
    lifePhases: "0-3|3-6|6-10",
    areas: "stadtweit",
    targetGroup: "families",
    reachUnit: "families",
    reach: {count: 240},
    note:
      "HF I laut Dokument (Abschn. 3.3.2, geplant „Elterntalk ab 01.01.2024“); HF IV abgeleitet (Stadtteilmütter, Kommunales Integrationszentrum); Lebensphasen abgeleitet"
  },
  {
    year: 2024,
    labelOriginal: "Alltagsintegrierte Sprachförderung Delphin 4",
    measure: "Alltagsintegrierte Sprachförderung Delphin 4",
    provider: "",
    amount: 33000,
    handlungsfeld: "IV|VI",
    lifePhases: "3-6",
    areas: "stadtweit",
    targetGroup: "children_3_6",
    reachUnit: "persons",
    reach: {share: 0.07},
    note:
      "HF IV und VI laut Dokument (Sprachfördermaßnahmen Abschn. 3.3.5, „Altersgerechte Sprachförderung“ Abschn. 3.3.7); Lebensphase abgeleitet (Delphin 4: Sprachstand mit vier Jahren); Träger nicht genannt"
  }
];

export const BOCHUM_TOTALS: readonly {year: number; status: "bewilligt" | "beantragt"; declared: number; quote: string}[] = [
  {year: 2023, status: "bewilligt", declared: 368600, quote: "Abschn. 5.1: „Gesamtfördersumme 2023: 368.600,- Euro“"},
  {year: 2024, status: "beantragt", declared: 398400, quote: "Abschn. 5.2: „Geplante Beantragung für 2024: 398.400,- Euro“"}
];

/** Size of a target group in an area set (population of the year; births ≈ one third of 0–3; families ≈ children 0–18 / 1.7). */
function targetPopulation(pop: Population, year: number, areaIds: readonly string[], group: TargetGroup): number {
  const sum = (bands: readonly string[]): number => areaIds.reduce((s, a) => s + pop.sum(year, a, bands), 0);
  switch (group) {
    case "births":
      return sum(["0-3"]) / 3;
    case "children_0_3":
      return sum(["0-3"]);
    case "children_3_6":
      return sum(["3-6"]);
    case "children_6_10":
      return sum(["6-10"]);
    case "children_10_15":
      return sum(["10-15"]);
    case "children_15_18":
      return sum(["15-18"]);
    case "children_0_18":
      return sum(["0-3", "3-6", "6-10", "10-15", "15-18"]);
    case "families":
      return sum(["0-3", "3-6", "6-10", "10-15", "15-18"]) / 1.7;
  }
}

function areaIdsOf(model: CityModel, areas: string): string[] {
  return areas === "stadtweit" ? [model.cityAreaId] : areas.split("|");
}

export function bochumMeasureRows(model: CityModel, pop: Population, seed: number | string): Row[] {
  const rng = Rng.derive(seed, "measures:bochum:reach");
  return BOCHUM_MEASURES.map((m) => {
    let reach: number | undefined;
    if (m.reach) {
      const base =
        "share" in m.reach ? targetPopulation(pop, m.year, areaIdsOf(model, m.areas), m.targetGroup) * m.reach.share : m.reach.count;
      reach = Math.round(base * ("share" in m.reach ? 1 + rng.normal(0, 0.03) : rng.uniform(0.85, 1.15)));
    }
    const section = m.year === 2023 ? "Abschn. 5.1 Maßnahmen Förderung 2023" : "Abschn. 5.2 Maßnahmen-Antrag 2024";
    return {
      year: m.year,
      programme: "kinderstark",
      measure: m.measure,
      provider: m.provider,
      amount_eur: m.amount,
      status: m.year === 2023 ? "bewilligt" : "beantragt",
      handlungsfeld: m.handlungsfeld,
      life_phases: m.lifePhases,
      areas: m.areas,
      target_group: m.targetGroup,
      reach,
      reach_unit: reach === undefined ? "" : m.reachUnit,
      source: `${BOCHUM_DOC}, ${section}`,
      reach_source: reach === undefined ? "" : SYNTHETIC,
      label_original: m.labelOriginal,
      classification_note: m.note
    };
  });
}

export function bochumTotalsRows(): Row[] {
  return BOCHUM_TOTALS.map((t) => ({
    year: t.year,
    programme: "kinderstark",
    status: t.status,
    declared_total_eur: t.declared,
    source: `${BOCHUM_DOC}, ${t.quote}`
  }));
}

interface MeasureTemplate {
  measure: string;
  provider: string;
  handlungsfeld: string;
  lifePhases: string;
  targetGroup: TargetGroup;
  reachUnit: "persons" | "families" | "";
  reachShare: number;
  amount: [number, number];
  /** "city": city-wide; "need": the k areas with the highest need on the given level. */
  scope: {kind: "city"} | {kind: "need"; k: number; level: "leaf" | "district"};
  programme: string;
}

const TEMPLATES: Readonly<Record<string, MeasureTemplate>> = {
  willkommen: {measure: "Willkommensbesuche für Neugeborene", provider: "Jugendamt", handlungsfeld: "II|V", lifePhases: "schwangerschaft|0-3", targetGroup: "births", reachUnit: "families", reachShare: 0.55, amount: [40000, 80000], scope: {kind: "city"}, programme: "kinderstark"},
  familienhebammen: {measure: "Familienhebammen und FGKiKP", provider: "Gesundheitsamt", handlungsfeld: "V", lifePhases: "schwangerschaft|0-3", targetGroup: "births", reachUnit: "families", reachShare: 0.07, amount: [30000, 70000], scope: {kind: "city"}, programme: "Bundesstiftung Frühe Hilfen"},
  elterncafe: {measure: "Elterncafé im Familienzentrum", provider: "Freier Träger", handlungsfeld: "II", lifePhases: "0-3|3-6", targetGroup: "children_3_6", reachUnit: "families", reachShare: 0.05, amount: [8000, 20000], scope: {kind: "need", k: 3, level: "leaf"}, programme: "kinderstark"},
  sprachkita: {measure: "Alltagsintegrierte Sprachbildung in Kitas", provider: "Jugendamt, Kita-Fachberatung", handlungsfeld: "IV|VI", lifePhases: "3-6", targetGroup: "children_3_6", reachUnit: "persons", reachShare: 0.12, amount: [30000, 90000], scope: {kind: "need", k: 5, level: "leaf"}, programme: "kinderstark"},
  bewegungkita: {measure: "Bewegungsförderung in Kitas", provider: "Stadtsportbund", handlungsfeld: "V", lifePhases: "3-6", targetGroup: "children_3_6", reachUnit: "persons", reachShare: 0.1, amount: [10000, 30000], scope: {kind: "need", k: 4, level: "leaf"}, programme: "kinderstark"},
  brueckenjahr: {measure: "Übergang Kita–Grundschule (Brückenjahr)", provider: "Schulamt", handlungsfeld: "VI", lifePhases: "3-6|6-10", targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.06, amount: [15000, 40000], scope: {kind: "city"}, programme: "kinderstark"},
  schulsozialarbeit: {measure: "Sozialarbeit an Grundschulen (Ergänzung)", provider: "Freier Träger", handlungsfeld: "II|VI", lifePhases: "6-10", targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.08, amount: [40000, 90000], scope: {kind: "need", k: 4, level: "leaf"}, programme: "kinderstark"},
  lernpaten: {measure: "Lernpatenschaften", provider: "Freiwilligenagentur", handlungsfeld: "VI", lifePhases: "6-10|10-16", targetGroup: "children_10_15", reachUnit: "persons", reachShare: 0.02, amount: [5000, 15000], scope: {kind: "city"}, programme: "kinderstark"},
  jugendtreff: {measure: "Mädchen- und Jungenarbeit im Jugendtreff", provider: "Jugendförderung", handlungsfeld: "I|II", lifePhases: "10-16", targetGroup: "children_10_15", reachUnit: "persons", reachShare: 0.05, amount: [15000, 35000], scope: {kind: "need", k: 2, level: "district"}, programme: "kinderstark"},
  kinderparlament: {measure: "Kinder- und Jugendbeteiligung", provider: "Kinder- und Jugendring", handlungsfeld: "I", lifePhases: "6-10|10-16", targetGroup: "children_10_15", reachUnit: "persons", reachShare: 0.01, amount: [5000, 12000], scope: {kind: "city"}, programme: "kinderstark"},
  ausbildungslotsen: {measure: "Ausbildungslotsen Übergang Schule–Beruf", provider: "Jugendberufsagentur", handlungsfeld: "VI", lifePhases: "16-27", targetGroup: "children_15_18", reachUnit: "persons", reachShare: 0.04, amount: [30000, 60000], scope: {kind: "city"}, programme: "kinderstark"},
  stadtteilmuetter: {measure: "Stadtteilmütter", provider: "Kommunales Integrationszentrum", handlungsfeld: "II|IV", lifePhases: "0-3|3-6|6-10", targetGroup: "families", reachUnit: "families", reachShare: 0.04, amount: [25000, 50000], scope: {kind: "need", k: 4, level: "leaf"}, programme: "kinderstark"},
  wegweiser: {measure: "Familienwegweiser und Öffentlichkeitsarbeit", provider: "Koordinierungsstelle Präventionskette", handlungsfeld: "VII", lifePhases: ALL_PHASES, targetGroup: "families", reachUnit: "", reachShare: 0, amount: [5000, 15000], scope: {kind: "city"}, programme: "kinderstark"},
  netzwerkFH: {measure: "Netzwerkkoordination Frühe Hilfen", provider: "Jugendamt", handlungsfeld: "V", lifePhases: "schwangerschaft|0-3", targetGroup: "births", reachUnit: "", reachShare: 0, amount: [40000, 70000], scope: {kind: "city"}, programme: "Bundesstiftung Frühe Hilfen"},
  inklusiv: {measure: "Inklusive Spielgruppen", provider: "Lebenshilfe", handlungsfeld: "III", lifePhases: "0-3|3-6", targetGroup: "children_3_6", reachUnit: "persons", reachShare: 0.01, amount: [10000, 25000], scope: {kind: "city"}, programme: "kinderstark"},
  ferien: {measure: "Ferienangebote für Kinder aus Familien im Leistungsbezug", provider: "Jugendförderung", handlungsfeld: "II", lifePhases: "6-10|10-16", targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.05, amount: [10000, 30000], scope: {kind: "need", k: 3, level: "district"}, programme: "kinderstark"},
  gesundheitslotsen: {measure: "Gesundheitslotsen im Quartier", provider: "Gesundheitsamt", handlungsfeld: "V", lifePhases: "0-3|3-6|6-10|10-16", targetGroup: "families", reachUnit: "families", reachShare: 0.03, amount: [30000, 60000], scope: {kind: "need", k: 3, level: "leaf"}, programme: "kinderstark"},
  familienklassen: {measure: "Familienklassen an Grundschulen", provider: "Schulamt und Jugendamt", handlungsfeld: "VI", lifePhases: "6-10", targetGroup: "children_6_10", reachUnit: "persons", reachShare: 0.01, amount: [15000, 30000], scope: {kind: "need", k: 2, level: "leaf"}, programme: "kinderstark"}
};

/** Which templates each synthetic city runs, from which year to which year (inclusive). */
const CITY_PLANS: Readonly<Record<string, readonly [string, number, number][]>> = {
  bottrop: [
    ["willkommen", 2019, 2024], ["familienhebammen", 2019, 2024], ["elterncafe", 2020, 2024], ["sprachkita", 2019, 2024],
    ["brueckenjahr", 2021, 2024], ["schulsozialarbeit", 2019, 2024], ["jugendtreff", 2022, 2024], ["stadtteilmuetter", 2020, 2024],
    ["wegweiser", 2019, 2024], ["netzwerkFH", 2019, 2024], ["ferien", 2021, 2023]
  ],
  koeln: [
    ["willkommen", 2018, 2024], ["familienhebammen", 2018, 2024], ["sprachkita", 2018, 2024], ["bewegungkita", 2019, 2024],
    ["brueckenjahr", 2018, 2024], ["schulsozialarbeit", 2018, 2024], ["lernpaten", 2020, 2024], ["ausbildungslotsen", 2021, 2024],
    ["stadtteilmuetter", 2018, 2024], ["wegweiser", 2018, 2024], ["netzwerkFH", 2018, 2024], ["inklusiv", 2022, 2024],
    ["ferien", 2019, 2024], ["gesundheitslotsen", 2022, 2024], ["familienklassen", 2019, 2022], ["kinderparlament", 2023, 2024]
  ]
};

function scopeAreas(model: CityModel, need: NeedMap, pop: Population, scope: MeasureTemplate["scope"]): string {
  if (scope.kind === "city") return "stadtweit";
  if (scope.level === "leaf") {
    return [...model.leaves]
      .sort((a, b) => (need.get(b.id) ?? 0) - (need.get(a.id) ?? 0) || a.id.localeCompare(b.id))
      .slice(0, scope.k)
      .map((a) => a.id)
      .join("|");
  }
  const districts = model.areas.filter((a) => a.parentId === model.cityAreaId);
  const y0 = YEARS[0]!;
  const districtNeed = (id: string): number => {
    const leaves = model.leaves.filter((l) => l.parentId === id);
    const w = leaves.map((l) => pop.sum(y0, l.id, ["0-3", "3-6", "6-10", "10-15", "15-18"]));
    const tot = w.reduce((a, b) => a + b, 0);
    return leaves.reduce((s, l, i) => s + (need.get(l.id) ?? 0) * (w[i] ?? 0), 0) / (tot || 1);
  };
  return [...districts]
    .sort((a, b) => districtNeed(b.id) - districtNeed(a.id) || a.id.localeCompare(b.id))
    .slice(0, scope.k)
    .map((a) => a.id)
    .join("|");
}

export function syntheticMeasureRows(model: CityModel, need: NeedMap, pop: Population, seed: number | string): Row[] {
  const plan = CITY_PLANS[model.id];
  if (!plan) throw new Error(`no measure plan for ${model.id}`);
  const lastYear = YEARS[YEARS.length - 1]!;
  const rows: Row[] = [];
  for (const year of YEARS) {
    for (const [key, from, to] of plan) {
      if (year < from || year > to) continue;
      const t = TEMPLATES[key];
      if (!t) throw new Error(`unknown measure template ${key}`);
      const rng = Rng.derive(seed, `measures:${model.id}:${key}`);
      const base = rng.uniform(t.amount[0], t.amount[1]);
      const growth = 1 + 0.03 * (year - from);
      const yearRng = Rng.derive(seed, `measures:${model.id}:${key}:${year}`);
      const amount = Math.round((base * growth * (1 + yearRng.normal(0, 0.02))) / 50) * 50;
      const areas = scopeAreas(model, need, pop, t.scope);
      let reach: number | undefined;
      if (t.reachUnit !== "" && t.reachShare > 0) {
        const target = targetPopulation(pop, year, areaIdsOf(model, areas), t.targetGroup);
        reach = Math.max(1, Math.round(target * t.reachShare * yearRng.uniform(0.85, 1.15)));
      }
      rows.push({
        year,
        programme: t.programme,
        measure: t.measure,
        provider: t.provider,
        amount_eur: amount,
        status: year === lastYear ? "beantragt" : "bewilligt",
        handlungsfeld: t.handlungsfeld,
        life_phases: t.lifePhases,
        areas,
        target_group: t.targetGroup,
        reach,
        reach_unit: reach === undefined ? "" : t.reachUnit,
        source: SYNTHETIC,
        reach_source: reach === undefined ? "" : SYNTHETIC,
        label_original: "",
        classification_note: ""
      });
    }
  }
  return rows;
}

/** Declared totals of the synthetic cities: equal to the sum of their measures. */
export function syntheticTotalsRows(measureRows: readonly Row[]): Row[] {
  const sums = new Map<string, {year: number; programme: string; status: string; total: number}>();
  for (const r of measureRows) {
    const key = `${String(r["year"])}|${String(r["programme"])}|${String(r["status"])}`;
    const cell = sums.get(key) ?? {year: Number(r["year"]), programme: String(r["programme"]), status: String(r["status"]), total: 0};
    cell.total += Number(r["amount_eur"]);
    sums.set(key, cell);
  }
  return [...sums.values()]
    .sort((a, b) => a.year - b.year || a.programme.localeCompare(b.programme))
    .map((s) => ({year: s.year, programme: s.programme, status: s.status, declared_total_eur: s.total, source: SYNTHETIC}));
}
