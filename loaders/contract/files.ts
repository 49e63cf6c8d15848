/**
 * The input files of the contract (docs/data-format.md): their columns, types,
 * keys and the DuckDB table each one is loaded into. This is the single source
 * of truth for validation and loading; the documentation mirrors it.
 */
import {enumValues, type FieldSpec} from "./fields.ts";

export interface FileSpec {
  /** File name in the city folder. */
  name: string;
  /** DuckDB table the valid rows are loaded into. */
  table: string;
  title: string;
  fields: FieldSpec[];
  /** Columns forming the unique key (duplicates are rejected). */
  key: string[];
  /** Columns holding an area id that must exist in the areas. */
  areaColumns: string[];
  /** Rows describe single units (children, Kitas) and must sit on the lowest area level. */
  leafOnly?: boolean;
  /** Extra row rule beyond single fields (e.g. numerator ≤ denominator). */
  rowRule?: (row: Record<string, unknown>) => {column: string; code: string; message: string} | undefined;
  /**
   * The same rule as an SQL condition over the typed columns (given as SQL expressions), true
   * where rowRule reports a problem; the set-based loader (loaders/load/) needs it to read the file.
   */
  rowRuleSql?: (column: Record<string, string>) => string;
  /** Column whose text marks total rows ("Summe"), when the file may carry them. */
  labelColumn?: string;
  /** Numeric columns that total rows are checked on. */
  totalColumns?: string[];
}

const SOURCE: FieldSpec = {key: "source", aliases: ["quelle", "herkunft"], type: "text", label: "Quelle"};
const YEAR: FieldSpec = {key: "year", aliases: ["jahr", "berichtsjahr"], type: "integer", required: true, label: "Jahr", min: 1900, max: 2100};
const AREA: FieldSpec = {key: "area_id", aliases: ["gebiet_id", "gebiet", "raum_id", "bezirk_id", "gebietsnummer"], type: "id", required: true, label: "Gebiets-Id"};

export const SOPESS_RESULT = enumValues({
  "unauffällig": ["unauffaellig", "u", "0", "normal"],
  grenzwertig: ["g", "1", "grenzwertig auffällig"],
  "auffällig": ["auffaellig", "a", "2"]
});

const sopess = (key: string, alias: string, label: string): FieldSpec => ({key, aliases: [alias], type: "enum", values: SOPESS_RESULT, label});

export const LIFE_PHASES = enumValues({
  schwangerschaft: ["schwangerschaft und geburt", "geburt", "pregnancy", "-1-0"],
  "0-3": ["0-3 jahre", "u3", "0 bis 3"],
  "3-6": ["3-6 jahre", "ue3", "3 bis 6"],
  "6-10": ["6-10 jahre", "grundschule", "6 bis 10"],
  "10-16": ["10-16 jahre", "10 bis 16"],
  "16-27": ["16-27 jahre", "uebergang schule beruf", "16 bis 27"]
});

export const HANDLUNGSFELDER = enumValues({
  I: ["1", "partizipation"],
  II: ["2", "aufsuchende arbeit", "aufsuchende arbeit, aufklaerung und beratung"],
  III: ["3", "inklusion"],
  IV: ["4", "integration"],
  V: ["5", "fruehe hilfen", "fruehe hilfen, gesundheit, bewegung und ernaehrung"],
  VI: ["6", "bildung"],
  VII: ["7", "oeffentlichkeitsarbeit"]
});

export const TARGET_GROUPS = enumValues({
  births: ["geburten", "neugeborene"],
  children_0_3: ["kinder 0-3", "0-3"],
  children_3_6: ["kinder 3-6", "3-6"],
  children_6_10: ["kinder 6-10", "6-10"],
  children_10_15: ["kinder 10-15", "10-15"],
  children_15_18: ["jugendliche 15-18", "15-18"],
  children_0_18: ["kinder 0-18", "0-18", "kinder und jugendliche"],
  families: ["familien"]
});

const ratioRule = (row: Record<string, unknown>) => {
  const n = row.numerator;
  const d = row.denominator;
  if (typeof d === "number" && d === 0) return {column: "denominator", code: "zero_denominator", message: "Nenner ist 0 – ein Anteil ist nicht berechenbar"};
  if (typeof n === "number" && typeof d === "number" && n > d) {
    return {column: "numerator", code: "numerator_above_denominator", message: `Zähler ${n} ist größer als der Nenner ${d}`};
  }
  return undefined;
};

export const POPULATION: FileSpec = {
  name: "population.csv",
  table: "population",
  title: "Bevölkerung nach Gebiet, Jahr und Altersgruppe",
  fields: [
    YEAR,
    AREA,
    {key: "age_band", aliases: ["altersgruppe", "alter", "altersklasse"], type: "text", required: true, label: "Altersgruppe"},
    {key: "count", aliases: ["anzahl", "einwohner", "personen", "zahl"], type: "integer", required: true, nullable: true, min: 0, label: "Anzahl"},
    SOURCE
  ],
  key: ["year", "area_id", "age_band"],
  areaColumns: ["area_id"],
  labelColumn: "area_id",
  totalColumns: ["count"]
};

export const SEU: FileSpec = {
  name: "seu.csv",
  table: "seu",
  title: "Schuleingangsuntersuchungen (ein Kind je Zeile)",
  fields: [
    YEAR,
    {...AREA, aliases: [...(AREA.aliases ?? []), "wohnbezirk", "wohngebiet"]},
    {key: "sex", aliases: ["geschlecht"], type: "enum", required: true, label: "Geschlecht", values: enumValues({m: ["maennlich", "männlich", "junge"], w: ["weiblich", "maedchen", "f"], d: ["divers"]})},
    {key: "age_months", aliases: ["alter_monate", "alter_in_monaten"], type: "integer", required: true, min: 48, max: 96, label: "Alter in Monaten (48–96)"},
    sopess("sopess_attention", "selektive_aufmerksamkeit", "SOPESS Selektive Aufmerksamkeit"),
    sopess("sopess_numbers", "zahlen_mengen", "SOPESS Zahlen- und Mengenvorwissen"),
    sopess("sopess_visuomotor", "visuomotorik", "SOPESS Visuomotorik"),
    sopess("sopess_visual", "visuelles_wahrnehmen", "SOPESS Visuelles Wahrnehmen und Schlussfolgern"),
    sopess("sopess_coordination", "koerperkoordination", "SOPESS Körperkoordination"),
    sopess("sopess_language", "sprache", "SOPESS Sprachkompetenz"),
    {key: "german_level", aliases: ["deutschkenntnisse", "deutsch"], type: "enum", label: "Deutschkenntnisse", values: enumValues({
      fehlerfrei: ["sehr gut", "altersgemaess"],
      "leichte Fehler": ["fluessig mit leichten fehlern", "leichte fehler"],
      "erhebliche Fehler": ["radebrechend", "erhebliche fehler"],
      "kein Deutsch": ["keine", "spricht kein deutsch", "kein deutsch"]
    })},
    {key: "bmi_category", aliases: ["bmi_kategorie", "bmi"], type: "enum", label: "BMI-Kategorie", values: enumValues({
      "starkes Untergewicht": ["starkes untergewicht"],
      Untergewicht: ["untergewicht"],
      Normalgewicht: ["normalgewicht", "normal"],
      "Übergewicht": ["uebergewicht"],
      Adipositas: ["adipositas", "starkes uebergewicht"]
    })},
    {key: "u8_documented", aliases: ["u8"], type: "bool", label: "U8 dokumentiert"},
    {key: "u9_documented", aliases: ["u9"], type: "bool", label: "U9 dokumentiert"},
    {key: "measles_doses", aliases: ["masern_impfungen", "masern"], type: "integer", min: 0, max: 3, label: "Masern-Impfdosen"},
    {key: "kita_years", aliases: ["kita_jahre", "kitabesuch_jahre"], type: "number", min: 0, max: 7, label: "Jahre in der Kita"},
    {key: "family_language_german", aliases: ["familiensprache_deutsch", "erstsprache_deutsch"], type: "bool", label: "Familiensprache Deutsch"},
    SOURCE
  ],
  key: [],
  areaColumns: ["area_id"],
  leafOnly: true
};

export const KITAS: FileSpec = {
  name: "kitas.csv",
  table: "kitas",
  title: "Kindertageseinrichtungen je Jahr",
  fields: [
    YEAR,
    {key: "kita_id", aliases: ["einrichtung_id", "einrichtungsnummer", "poi_id"], type: "id", required: true, label: "Kita-Id"},
    {key: "name", aliases: ["einrichtung", "bezeichnung"], type: "text", required: true, label: "Name"},
    {key: "provider_type", aliases: ["traeger", "traegerart", "traegertyp"], type: "enum", label: "Trägerart", values: enumValues({
      kommunal: ["staedtisch", "kommune"],
      "freie Träger": ["freier traeger", "frei", "freie traeger"],
      evangelisch: ["ev.", "ev", "evangelische kirche"],
      katholisch: ["kath.", "kath", "katholische kirche"],
      Elterninitiative: ["elterninitiativen", "ei"],
      sonstige: ["andere", "sonstiger"]
    })},
    {key: "area_id", aliases: ["gebiet_id", "gebiet", "bezirk_id"], type: "id", label: "Gebiets-Id"},
    {key: "x", aliases: ["rechtswert", "lon", "laenge", "rechts_utm"], type: "number", label: "x / Rechtswert / Länge"},
    {key: "y", aliases: ["hochwert", "lat", "breite", "hoch_utm"], type: "number", label: "y / Hochwert / Breite"},
    {key: "places_u3", aliases: ["plaetze_u3", "genehmigte_plaetze_u3"], type: "integer", min: 0, label: "Plätze U3"},
    {key: "places_ue3", aliases: ["plaetze_ue3", "genehmigte_plaetze_ue3"], type: "integer", min: 0, label: "Plätze Ü3"},
    {key: "occupied_u3", aliases: ["belegt_u3"], type: "integer", min: 0, label: "belegte Plätze U3"},
    {key: "occupied_ue3", aliases: ["belegt_ue3"], type: "integer", min: 0, label: "belegte Plätze Ü3"},
    {key: "familienzentrum", aliases: ["fz"], type: "bool", label: "Familienzentrum"},
    {key: "pluskita", aliases: ["plus_kita"], type: "bool", label: "plusKITA"},
    SOURCE
  ],
  key: ["year", "kita_id"],
  areaColumns: [],
  rowRule: (row) => {
    if (row.area_id == null && (row.x == null || row.y == null)) {
      return {column: "area_id", code: "no_location", message: "weder Gebiets-Id noch Koordinaten – die Kita kann keinem Gebiet zugeordnet werden"};
    }
    for (const age of ["u3", "ue3"] as const) {
      const places = row[`places_${age}`];
      const occupied = row[`occupied_${age}`];
      if (typeof places === "number" && typeof occupied === "number" && occupied > places * 1.1 + 2) {
        return {column: `occupied_${age}`, code: "occupied_above_places", message: `${occupied} belegte Plätze bei nur ${places} genehmigten (${age.toUpperCase()})`};
      }
    }
    return undefined;
  },
  rowRuleSql: (c) =>
    `((${c.area_id}) IS NULL AND ((${c.x}) IS NULL OR (${c.y}) IS NULL)) OR ${["u3", "ue3"].map((a) => `(${c[`occupied_${a}`]}) > CAST(${c[`places_${a}`]} AS DOUBLE) * CAST(1.1 AS DOUBLE) + 2`).join(" OR ")}`
};

export const MEASURES: FileSpec = {
  name: "measures.csv",
  table: "measures",
  title: "Maßnahmen und Förderung",
  fields: [
    {...YEAR, aliases: ["jahr", "foerderjahr"]},
    {key: "programme", aliases: ["programm", "foerderprogramm"], type: "text", required: true, label: "Programm"},
    {key: "measure", aliases: ["massnahme", "projekt"], type: "text", required: true, label: "Maßnahme"},
    {key: "provider", aliases: ["traeger", "anbieter"], type: "text", label: "Träger"},
    {key: "amount_eur", aliases: ["betrag", "summe_eur", "foerdersumme", "betrag_eur"], type: "number", required: true, min: 0, label: "Betrag in €"},
    {key: "status", type: "enum", required: true, label: "Status", values: enumValues({bewilligt: ["genehmigt"], beantragt: ["geplant", "antrag"]})},
    {key: "handlungsfeld", aliases: ["handlungsfelder"], type: "list", values: HANDLUNGSFELDER, required: true, label: "Handlungsfeld (I–VII)"},
    {key: "life_phases", aliases: ["lebensphasen", "lebensphase"], type: "list", values: LIFE_PHASES, required: true, label: "Lebensphase(n)"},
    {key: "areas", aliases: ["gebiete", "sozialraeume"], type: "list", required: true, label: "Gebiete (Ids oder „stadtweit“)"},
    {key: "target_group", aliases: ["zielgruppe"], type: "enum", values: TARGET_GROUPS, label: "Zielgruppe"},
    {key: "reach", aliases: ["reichweite", "erreicht"], type: "number", min: 0, label: "Reichweite"},
    {key: "reach_unit", aliases: ["reichweite_einheit"], type: "enum", values: enumValues({persons: ["personen"], families: ["familien"]}), label: "Einheit der Reichweite"},
    SOURCE,
    {key: "reach_source", aliases: ["quelle_reichweite"], type: "text", label: "Quelle der Reichweite"},
    {key: "note", aliases: ["anmerkung", "hinweis"], type: "text", label: "Anmerkung"}
  ],
  key: ["year", "programme", "measure", "provider", "status"],
  areaColumns: [],
  labelColumn: "measure",
  totalColumns: ["amount_eur"]
};

export const PROGRAMME_TOTALS: FileSpec = {
  name: "programme_totals.csv",
  table: "programme_totals",
  title: "Erklärte Summen je Programm und Jahr",
  fields: [
    YEAR,
    {key: "programme", aliases: ["programm"], type: "text", required: true, label: "Programm"},
    {key: "status", type: "enum", required: true, label: "Status", values: enumValues({bewilligt: ["genehmigt"], beantragt: ["geplant", "antrag"]})},
    {key: "declared_total_eur", aliases: ["summe", "gesamtsumme", "summe_eur"], type: "number", required: true, min: 0, label: "erklärte Summe in €"},
    SOURCE
  ],
  key: ["year", "programme", "status"],
  areaColumns: []
};

export const INDICATORS: FileSpec = {
  name: "indicators.csv",
  table: "indicator_input",
  title: "Indikatoren (Zähler und Nenner)",
  fields: [
    YEAR,
    AREA,
    {key: "indicator_id", aliases: ["indikator", "indikator_id", "merkmal"], type: "id", required: true, label: "Indikator-Id"},
    {key: "numerator", aliases: ["zaehler", "anzahl", "faelle"], type: "number", required: true, nullable: true, min: 0, label: "Zähler"},
    {key: "denominator", aliases: ["nenner", "basis", "grundgesamtheit"], type: "number", required: true, nullable: true, min: 0, label: "Nenner"},
    SOURCE
  ],
  key: ["year", "area_id", "indicator_id"],
  areaColumns: ["area_id"],
  rowRule: ratioRule,
  rowRuleSql: (c) => `(${c.denominator} = 0 OR ${c.numerator} > ${c.denominator})`
};

/** All CSV inputs in load order. */
export const CSV_FILES: FileSpec[] = [POPULATION, SEU, KITAS, MEASURES, PROGRAMME_TOTALS, INDICATORS];
