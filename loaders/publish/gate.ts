/**
 * The publish gate: every file the site publishes passes through assertPublishable before
 * it is written (loaders/export/site-export.ts, the one export step, for page data and downloads). The gate knows which
 * cells small-number protection withheld and checks every number of the file:
 *
 * - a field bound to an indicator cell (counts, rate, interval, difference, change) must be
 *   empty where that cell is withheld; pooled fields where the pooled window is withheld;
 * - a field derived from the child population (population, € per child, shares of money
 *   spread by population, reach per area) must be empty where that population is withheld;
 * - a field bound to a fixed indicator (children under 6 in SGB II, …) must be empty where
 *   that indicator's cell is withheld;
 * - every other number must be registered as public (years, ids, money of the funding lists,
 *   Kita places, coordinates, the need index – computed from published values only –, counts
 *   of measures or of withheld cells).
 *
 * Numbers inside lists are checked as the list's field (coordinates, a list of years).
 *
 * A number that is not registered, or a bound number of a withheld cell, fails the build with
 * a German message naming the file, the field and the row. New outputs therefore have to
 * declare what their numbers are before they can be published.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";

type Rule =
  | {kind: "cell"; window: "annual" | "pooled"}
  | {kind: "city"}
  | {kind: "indicator"; indicator: string}
  | {kind: "indicators"; indicators: string[]}
  | {kind: "cityIndicator"; indicator: string}
  | {kind: "population"}
  | {kind: "public"};

const cell = (window: "annual" | "pooled"): Rule => ({kind: "cell", window});
const PUBLIC: Rule = {kind: "public"};
const POPULATION: Rule = {kind: "population"};

/** Field name → what the number is. Names are the same across files (English in page data, German in downloads). */
export const FIELD_RULES: Readonly<Record<string, Rule>> = {
  // indicator cells (page data)
  numerator: cell("annual"), denominator: cell("annual"), rate: cell("annual"), ci_lo: cell("annual"), ci_hi: cell("annual"),
  diff_city: cell("annual"), signif: cell("annual"), signif998: cell("annual"), change_1y: cell("annual"), change_ky: cell("annual"),
  pooled_numerator: cell("pooled"), pooled_denominator: cell("pooled"), pooled_rate: cell("pooled"), pooled_ci_lo: cell("pooled"), pooled_ci_hi: cell("pooled"),
  city_rate: {kind: "city"},
  // indicator cells (downloads)
  zaehler: cell("annual"), nenner: cell("annual"), wert: cell("annual"), ki_unten: cell("annual"), ki_oben: cell("annual"),
  abweichung_stadt: cell("annual"), vergleich_stadt: cell("annual"),
  trichter95_unten: cell("annual"), trichter95_oben: cell("annual"), trichter998_unten: cell("annual"), trichter998_oben: cell("annual"), veraenderung_1j: cell("annual"), veraenderung_kj: cell("annual"),
  zaehler_3j: cell("pooled"), nenner_3j: cell("pooled"), wert_3j: cell("pooled"), ki_unten_3j: cell("pooled"), ki_oben_3j: cell("pooled"),
  stadtwert: {kind: "city"},
  // fixed indicators
  sgb2_u6: {kind: "indicator", indicator: "sgb2_u6"},
  nongerman_lang: {kind: "indicators", indicators: ["seu_family_lang_nongerman", "kita_coverage_u3", "kita_coverage_ue3"]},
  kinder_u3: {kind: "indicator", indicator: "kita_coverage_u3"}, quote_u3: {kind: "indicator", indicator: "kita_coverage_u3"},
  fehlende_plaetze_u3: {kind: "indicator", indicator: "kita_coverage_u3"},
  kinder_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"}, quote_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"},
  fehlende_plaetze_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"},
  kinder_0_18: {kind: "indicator", indicator: "funding_per_child"}, eur_je_kind: {kind: "indicator", indicator: "funding_per_child"},
  bewilligt_eur: {kind: "indicator", indicator: "funding_per_child"},
  // annual report (loaders/report/findings.ts): city values of fixed indicators, area rows
  city_missing_u3: {kind: "cityIndicator", indicator: "kita_coverage_u3"}, city_missing_ue3: {kind: "cityIndicator", indicator: "kita_coverage_ue3"},
  eur_per_child_city: {kind: "cityIndicator", indicator: "funding_per_child"}, reach_births_city: {kind: "cityIndicator", indicator: "reach_births"},
  children_u3: {kind: "indicator", indicator: "kita_coverage_u3"}, coverage_u3: {kind: "indicator", indicator: "kita_coverage_u3"},
  missing_u3: {kind: "indicator", indicator: "kita_coverage_u3"},
  children_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"}, coverage_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"},
  missing_ue3: {kind: "indicator", indicator: "kita_coverage_ue3"},
  children: {kind: "indicator", indicator: "funding_per_child"}, eur_per_child: {kind: "indicator", indicator: "funding_per_child"},
  // report sums and comparisons over published areas only (findings.ts leaves withheld areas out)
  areas_below_u3: PUBLIC, areas_below_ue3: PUBLIC, missing_in_areas_u3: PUBLIC, missing_in_areas_ue3: PUBLIC, withheld_u3: PUBLIC, withheld_ue3: PUBLIC,
  eur_per_child_high: PUBLIC, eur_per_child_low: PUBLIC, ratio_high_low: PUBLIC, concentration_index: PUBLIC, total_eur: PUBLIC,
  reach_births_areas_published: PUBLIC, reach_births_areas_withheld: PUBLIC, data_year: PUBLIC, previous_year: PUBLIC, funding_year: PUBLIC,
  status_class_previous: PUBLIC, class_change: PUBLIC,
  // derived from the child population of an area
  population: POPULATION, target_population: POPULATION, per_child: POPULATION, amount_per_child: POPULATION,
  share: POPULATION, amount: POPULATION, current: POPULATION, reach: POPULATION, amount_eur: POPULATION, ratio: POPULATION,
  // public: structure, configuration, money and reach of the funding lists, Kita places and positions
  year: PUBLIC, jahr: PUBLIC, first: PUBLIC, last: PUBLIC, latest_year: PUBLIC, first_year: PUBLIC, need_year: PUBLIC, bedarfsindex_jahr: PUBLIC,
  generated_for_year: PUBLIC, level_rank: PUBLIC, tile_row: PUBLIC, tile_col: PUBLIC, u3: PUBLIC, ue3: PUBLIC, target_u3: PUBLIC, target_ue3: PUBLIC,
  ziel_u3: PUBLIC, ziel_ue3: PUBLIC, min_cases: PUBLIC, min_denominator: PUBLIC, protection_width: PUBLIC, weight: PUBLIC, polarity: PUBLIC,
  dynamics_years: PUBLIC, min_areas_for_thresholds: PUBLIC, decimals: PUBLIC, thresholds: PUBLIC, years: PUBLIC, grantedYears: PUBLIC,
  measure_id: PUBLIC, declared_total_eur: PUBLIC, items_total_eur: PUBLIC, betrag_eur: PUBLIC,
  reichweite: PUBLIC, lon: PUBLIC, lat: PUBLIC, places_u3: PUBLIC, places_ue3: PUBLIC, plaetze_u3: PUBLIC, plaetze_ue3: PUBLIC, kitas: PUBLIC,
  // need index: computed from published values only (loaders/indicators/compute.ts)
  need: PUBLIC, need_z: PUBLIC, need_class: PUBLIC, status_z: PUBLIC, status_class: PUBLIC, dynamics_z: PUBLIC, dynamics_class: PUBLIC, dynamics_se: PUBLIC,
  bedarfsindex_z: PUBLIC, bedarfsklasse: PUBLIC, dynamikindex_z: PUBLIC, dynamikindex_standardfehler: PUBLIC, dynamikklasse: PUBLIC,
  // concentration and reach summaries: computed over areas with published population only (export/funding.ts)
  x: PUBLIC, y: PUBLIC, index: PUBLIC, total_population: PUBLIC, total_amount: PUBLIC, ratio_high_to_low: PUBLIC, difference_pp: PUBLIC,
  // counts of measures, areas, cells and file rows
  n: PUBLIC, count: PUBLIC, measures: PUBLIC, areas: PUBLIC, measure_count: PUBLIC, measures_elsewhere: PUBLIC, areas_with_index: PUBLIC,
  // recent trend of an area's proportion: from published counts only (export/slices.ts: areaTrends)
  trend_chi2: PUBLIC, trend_slope: PUBLIC, trend_series: PUBLIC, trend_significant: PUBLIC, trend_not_computable: PUBLIC,
  // counts of published changes tested and found significant (export/slices.ts: overviewFile)
  changes_tested: PUBLIC, changes_significant: PUBLIC,
  class_4: PUBLIC, class_3: PUBLIC, without_index: PUBLIC, indicators: PUBLIC, indicators_compared: PUBLIC, indicators_with_deviation: PUBLIC,
  cells: PUBLIC, withheld: PUBLIC, city_withheld: PUBLIC, requested_eur: PUBLIC, rows_read: PUBLIC, rows_loaded: PUBLIC, rows_rejected: PUBLIC,
  rows: PUBLIC, total_rows: PUBLIC, gelesen: PUBLIC, geladen: PUBLIC, abgelehnt: PUBLIC, summenzeilen: PUBLIC, zeile: PUBLIC, line: PUBLIC,
  // geometry of the areas and the city outline (the numbers inside the coordinate lists)
  coordinates: PUBLIC, bbox: PUBLIC
};

export interface GateState {
  /** `${indicator}|${area}|${year}` of withheld annual cells */
  annual: Set<string>;
  pooled: Set<string>;
  /** `${indicator}|${year}` where the city value itself is withheld */
  city: Set<string>;
  /** `${area}|${year}` where the child population is withheld */
  population: Set<string>;
}

export async function loadGate(conn: DuckDBConnection): Promise<GateState> {
  const annual = await queryRows<{k: string}>(conn, "SELECT indicator_id || '|' || area_id || '|' || year AS k FROM indicator_published WHERE suppressed IS NOT NULL");
  const pooled = await queryRows<{k: string}>(conn, "SELECT indicator_id || '|' || area_id || '|' || year AS k FROM indicator_published WHERE pooled_suppressed IS NOT NULL");
  const city = await queryRows<{k: string}>(conn, "SELECT p.indicator_id || '|' || p.year AS k FROM indicator_published p JOIN areas a USING (area_id) WHERE a.level_rank = 0 AND p.suppressed IS NOT NULL");
  const population = await queryRows<{k: string}>(conn, "SELECT area_id || '|' || year AS k FROM population_withheld");
  return {
    annual: new Set(annual.map((r) => r.k)),
    pooled: new Set(pooled.map((r) => r.k)),
    city: new Set(city.map((r) => r.k)),
    population: new Set(population.map((r) => r.k))
  };
}

export class PublishError extends Error {
  constructor(readonly file: string, readonly field: string, readonly where: string, reason: string) {
    super(`Veröffentlichung gestoppt: ${file}, Feld „${field}“ (${where}): ${reason}`);
    this.name = "PublishError";
  }
}

interface Context {
  indicator?: string;
  area?: string;
  year?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
}

function describe(context: Context): string {
  return [context.indicator && `Indikator ${context.indicator}`, context.area && `Gebiet ${context.area}`, context.year !== undefined && `Jahr ${context.year}`].filter(Boolean).join(", ") || "ohne Gebietsbezug";
}

/**
 * Checks one output file. `value` is what will be written (JSON value or rows of a table);
 * `indicator` sets the indicator of a whole file (one download table per indicator).
 */
export function assertPublishable(file: string, value: unknown, gate: GateState, options: {indicator?: string} = {}): void {
  // `field`: the field an array hangs under – a number inside an array is checked as that field
  // (coordinates, a list of years), so that no number of a file goes unchecked
  const visit = (node: unknown, context: Context, path: string, field?: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if ((typeof item === "number" || typeof item === "bigint") && field !== undefined) check(field, Number(item), context, `${path}[${i}]`);
        else if (typeof item === "number" || typeof item === "bigint") throw new PublishError(file, "(Liste)", `${path}[${i}]`, "Zahl ohne Feldnamen – als Feld eines Datensatzes veröffentlichen");
        else visit(item, context, `${path}[${i}]`, field);
      });
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const ctx: Context = {...context};
    const indicator = text(record.indicator_id);
    if (indicator) ctx.indicator = indicator;
    const area = text(record.area_id) ?? text(record.gebiet_id);
    if (area) ctx.area = area;
    const year = record.year ?? record.jahr;
    if (typeof year === "number" && Number.isInteger(year)) ctx.year = year;
    for (const [field, v] of Object.entries(record)) {
      if (typeof v === "number" || typeof v === "bigint") check(field, Number(v), ctx, `${path}.${field}`);
      else if (v !== null && typeof v === "object") visit(v, ctx, `${path}.${field}`, field);
    }
  };
  // no closures per number: this runs for every number of the site (the row description is
  // built only for a message)
  const stop = (field: string, path: string, ctx: Context, reason: string): never => {
    throw new PublishError(file, field, path, reason.replace("{where}", describe(ctx)));
  };
  const needs = (field: string, path: string, ctx: Context, what: string): never =>
    stop(field, path, ctx, `${what} fehlt im Datensatz ({where}), die Geheimhaltung kann nicht geprüft werden`);
  const check = (field: string, _value: number, ctx: Context, path: string): void => {
    const rule = FIELD_RULES[field];
    if (!rule) throw new PublishError(file, field, path, "Zahl ohne Freigabe – in loaders/publish/gate.ts eintragen, woraus sie berechnet ist");
    if (rule.kind === "public") return;
    if (rule.kind === "cityIndicator") {
      if (ctx.year === undefined) needs(field, path, ctx, "Jahr");
      if (gate.city.has(`${rule.indicator}|${ctx.year}`)) stop(field, path, ctx, `Stadtwert von ${rule.indicator} ist geheim ({where})`);
      return;
    }
    if (rule.kind === "city") {
      if (!ctx.indicator || ctx.year === undefined) needs(field, path, ctx, "Indikator oder Jahr");
      if (gate.city.has(`${ctx.indicator}|${ctx.year}`)) stop(field, path, ctx, "Stadtwert ist geheim ({where})");
      return;
    }
    // a population-derived number without an area (money of a measure, the city's total) is not per area
    if (rule.kind === "population" && !ctx.area) return;
    if (!ctx.area || ctx.year === undefined) needs(field, path, ctx, "Gebiet oder Jahr");
    const cellKey = `|${ctx.area}|${ctx.year}`;
    if (rule.kind === "cell") {
      if (!ctx.indicator) needs(field, path, ctx, "Indikator");
      if ((rule.window === "annual" ? gate.annual : gate.pooled).has(ctx.indicator + cellKey)) stop(field, path, ctx, "Zelle ist geheim ({where})");
      return;
    }
    if (rule.kind === "indicator" || rule.kind === "indicators") {
      for (const id of rule.kind === "indicator" ? [rule.indicator] : rule.indicators) {
        if (gate.annual.has(id + cellKey)) stop(field, path, ctx, `beruht auf der geheimen Zelle ${id} ({where})`);
      }
      if (gate.population.has(`${ctx.area}|${ctx.year}`) && rule.kind === "indicators") stop(field, path, ctx, "beruht auf einer geheimen Kinderzahl ({where})");
      return;
    }
    if (gate.population.has(`${ctx.area}|${ctx.year}`)) stop(field, path, ctx, "beruht auf einer geheimen Kinderzahl ({where})");
  };
  visit(value, options.indicator ? {indicator: options.indicator} : {}, file);
}
