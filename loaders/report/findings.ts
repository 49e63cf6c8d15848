/**
 * Generated findings of the annual indicator report (Jahresbericht): German sentences computed
 * from a city database, with the numbers they rest on. Five sections:
 *
 *   need        areas in need classes 4 and 3, their change of class and dynamics
 *   deviations  indicators significantly above/below the city value (signif = ±1)
 *   kita        Kita coverage U3/Ü3 against the city's targets, missing places
 *   funding     granted € per child in high-need vs. other areas, concentration index
 *   reach       reach of the granted measures (reach_* indicators)
 *
 * Nothing here assumes which area is worst or how many there are: every sentence is built
 * from the query results and has its empty, single and tied forms. Indicator values come only
 * from indicator_published; suppressed cells are counted, never quoted. Kita and funding
 * figures of an area whose protected indicator cell (kita_coverage_*, funding_per_child) is
 * suppressed are withheld in the same way.
 */
import {recentTrend, TREND_POINTS, type TrendOutcome, type TrendPoint} from "../stats/trend.ts";
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import type {CityConfig} from "../contract/city-config.ts";
import {loadCatalogue} from "../indicators/catalogue.ts";
import {concentrationCurve, describeConcentration, type ConcentrationRow} from "../funding/concentration.ts";
import {loadConcentrationInputs} from "../funding/queries.ts";
import {capitalize, compareNames, count, formatEuro, formatNumber, formatPercent, formatTarget, formatZ, joinList, plural, tieKey} from "./format.ts";

// ---------------------------------------------------------------------------
// types

export type ReportColumnType = "text" | "number" | "percent" | "euro";

/** A column of a section's table; compatible with CsvColumn of src/components/csv.ts. */
export interface ReportColumn {
  key: string;
  label: string;
  /** percent: a proportion 0…1; euro: an amount in €; number: any other number. */
  type: ReportColumnType;
  /** Fixed number of decimals for display (optional). */
  decimals?: number;
}

export type ReportValue = string | number | null;
export type ReportRow = Record<string, ReportValue>;

export interface ReportTable {
  columns: ReportColumn[];
  rows: ReportRow[];
}

export type ReportSectionId = "need" | "deviations" | "trends" | "kita" | "funding" | "reach";

export interface ReportSection {
  id: ReportSectionId;
  /** German heading. */
  title: string;
  /** German paragraphs (each one or more sentences), generated from the figures. */
  paragraphs: string[];
  /** Year the figures are from; earlier than the report year when the report year has no data; null: no data. */
  data_year: number | null;
  /** Key figures the sentences rest on (unrounded). */
  figures: Record<string, number | string | null>;
  /** The numbers behind the sentences, one row per area (protected cells withheld). */
  table: ReportTable;
  /** true when a figure of the section rests on synthetic data (indicator_provenance). */
  synthetic: boolean;
  /** German note to show with a synthetic section; null otherwise. */
  synthetic_note: string | null;
}

export interface ReportStamp {
  /** SHA-256 of the city's input files (city.input_hash). */
  input_hash: string;
  /** First 12 hex digits of input_hash. */
  short_hash: string;
  generated_for_year: number;
  /** City name. */
  city: string;
}

export interface ReportFindings {
  stamp: ReportStamp;
  city_id: string;
  year: number;
  /** Area level the findings describe. */
  level: {id: string; name: string};
  sections: ReportSection[];
}

export interface ReportOptions {
  /** Area level id (e.g. "stadtbezirk"); default: the lowest level. */
  level?: string;
}

// ---------------------------------------------------------------------------
// shared helpers

/** Longer lists of areas in a sentence name only this many (the strongest); the section table has all. */
export const LIST_LIMIT = 5;

export const SYNTHETIC_NOTE = "Dieser Abschnitt beruht ganz oder teilweise auf synthetischen Beispieldaten.";
export const WITHHELD_TEXT = "geheim (kleine Fallzahl)";

const NEED_CLASS_LABELS: Record<number, string> = {1: "geringer Bedarf", 2: "mittlerer Bedarf", 3: "hoher Bedarf", 4: "sehr hoher Bedarf"};
const DYNAMICS_LABELS: Record<number, string> = {1: "Bedarf nimmt ab", 2: "stabil", 3: "Bedarf nimmt zu"};

export function needClassLabel(cls: number | null): string {
  return cls === null ? "" : (NEED_CLASS_LABELS[cls] ?? "");
}

export function dynamicsClassLabel(cls: number | null): string {
  return cls === null ? "" : (DYNAMICS_LABELS[cls] ?? "");
}

function sql(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlList(values: readonly string[]): string {
  return values.length ? values.map(sql).join(", ") : "NULL";
}

/** Missing places to reach the target: max(0, ceil(target × children) − places); target × children is rounded to 9 decimals first (0.07 × 100 = 7.000000000000001 must give 7). */
export function missingPlaces(target: number, children: number, places: number): number {
  const needed = Math.ceil(Math.round(target * children * 1e9) / 1e9);
  return Math.max(0, needed - places);
}

interface Area {
  area_id: string;
  name: string;
}

interface Context {
  conn: DuckDBConnection;
  year: number;
  level: string;
  levelName: string;
  rootId: string;
  config: CityConfig;
  /** Areas of the level, by name. */
  areas: Area[];
  names: Map<string, string>;
}

async function syntheticFor(conn: DuckDBConnection, parts: {ids: readonly string[]; year: number | null}[]): Promise<boolean> {
  const where = parts.filter((p) => p.ids.length && p.year !== null).map((p) => `(indicator_id IN (${sqlList(p.ids)}) AND year = ${p.year})`);
  if (!where.length) return false;
  const [row] = await queryRows<{s: boolean | null}>(conn, `SELECT bool_or(synthetic) AS s FROM indicator_provenance WHERE ${where.join(" OR ")}`);
  return row?.s === true;
}

function section(id: ReportSectionId, title: string, parts: Omit<ReportSection, "id" | "title" | "synthetic_note">): ReportSection {
  return {id, title, ...parts, synthetic_note: parts.synthetic ? SYNTHETIC_NOTE : null};
}

function byName<T extends {name: string; area_id: string}>(a: T, b: T): number {
  return compareNames(a.name, b.name) || compareNames(a.area_id, b.area_id);
}

/** The entries sharing the largest (or smallest) value, by name. */
function extremes<T extends {name: string; area_id: string}>(items: readonly T[], value: (item: T) => number, which: "max" | "min"): T[] {
  if (!items.length) return [];
  const keys = items.map((i) => tieKey(value(i)));
  const best = which === "max" ? Math.max(...keys) : Math.min(...keys);
  return items.filter((_, i) => keys[i] === best).sort(byName);
}

/** The first `n` entries of a list sorted by value (descending), extended by every entry tied with the n-th. */
function topWithTies<T>(sorted: readonly T[], n: number, value: (item: T) => number): T[] {
  if (sorted.length <= n) return [...sorted];
  const cut = tieKey(value(sorted[n - 1]!));
  return sorted.filter((item, i) => i < n || tieKey(value(item)) === cut);
}

// ---------------------------------------------------------------------------
// (a) need

type NeedRow = {
  area_id: string;
  status_z: number | null;
  status_class: number | null;
  dynamics_z: number | null;
  dynamics_class: number | null;
};

interface NeedEntry extends Area {
  z: number | null;
  cls: number | null;
  dz: number | null;
  dcls: number | null;
  prev: number | null;
}

async function needRows(ctx: Context, year: number): Promise<Map<string, NeedRow>> {
  const rows = await queryRows<NeedRow>(ctx.conn, `SELECT area_id, status_z, status_class, dynamics_z, dynamics_class FROM need_index WHERE year = ${year} AND level = ${sql(ctx.level)}`);
  return new Map(rows.map((r) => [r.area_id, r]));
}

async function needSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const previousYear = year - 1;
  const current = await needRows(ctx, year);
  const previous = await needRows(ctx, previousYear);
  const prevAvailable = [...previous.values()].some((r) => r.status_class !== null);
  const dynamicsYears = ctx.config.need_index.dynamics_years;
  const entries: NeedEntry[] = ctx.areas.map((a) => {
    const r = current.get(a.area_id);
    return {
      ...a,
      z: r?.status_z ?? null,
      cls: r?.status_class ?? null,
      dz: r?.dynamics_z ?? null,
      dcls: r?.dynamics_class ?? null,
      prev: previous.get(a.area_id)?.status_class ?? null
    };
  });
  entries.sort((a, b) => (a.z === null ? 1 : 0) - (b.z === null ? 1 : 0) || (b.z ?? 0) - (a.z ?? 0) || byName(a, b));
  const classified = entries.filter((e) => e.cls !== null);
  const indexIds = ctx.config.need_index.indicators.map((i) => i.id);
  const table: ReportTable = {
    columns: [
      {key: "area_id", label: "Gebiets-Id", type: "text"},
      {key: "name", label: "Gebiet", type: "text"},
      {key: "status_z", label: "Bedarfsindex (z-Wert)", type: "number", decimals: 2},
      {key: "status_class", label: `Bedarfsklasse ${year}`, type: "number", decimals: 0},
      {key: "status_class_previous", label: `Bedarfsklasse ${previousYear}`, type: "number", decimals: 0},
      {key: "class_change", label: "Veränderung der Klasse", type: "number", decimals: 0},
      {key: "dynamics_z", label: "Dynamikindex (z-Wert)", type: "number", decimals: 2},
      {key: "dynamics_class", label: "Dynamikklasse", type: "number", decimals: 0}
    ],
    rows: entries.map((e) => ({
      area_id: e.area_id,
      name: e.name,
      status_z: e.z,
      status_class: e.cls,
      status_class_previous: prevAvailable ? e.prev : null,
      class_change: prevAvailable && e.cls !== null && e.prev !== null ? e.cls - e.prev : null,
      dynamics_z: e.dz,
      dynamics_class: e.dcls
    }))
  };
  const title = "Gebiete mit dem höchsten Bedarf";
  if (!classified.length) {
    return section("need", title, {
      paragraphs: [`Für ${year} liegt auf der Ebene „${ctx.levelName}“ kein Bedarfsindex vor.`],
      data_year: null,
      figures: {areas_with_index: 0, class_4: 0, class_3: 0, without_index: entries.length, previous_year: prevAvailable ? previousYear : null},
      table,
      synthetic: false
    });
  }
  const paragraphs: string[] = [];
  const missing = entries.filter((e) => e.cls === null);
  let intro = `Der Bedarfsindex ${year} ordnet ${count(classified.length, "Gebiet", "Gebiete")} der Ebene „${ctx.levelName}“ in vier Klassen ein; Klasse 4 steht für den höchsten Bedarf.`;
  if (missing.length) {
    intro += ` Für ${count(missing.length, "Gebiet", "Gebiete")} fehlt ein Indexwert (unvollständige Daten): ${joinList([...missing].sort(byName).map((e) => e.name))}.`;
  }
  paragraphs.push(intro);

  const withZ = (e: NeedEntry): string => `${e.name} (${formatZ(e.z!)})`;
  const class4 = classified.filter((e) => e.cls === 4);
  const class3 = classified.filter((e) => e.cls === 3);
  const high = [...class4, ...class3];
  if (!high.length) {
    const top = extremes(classified, (e) => e.z!, "max");
    paragraphs.push(
      `Kein Gebiet liegt in Klasse 4 (sehr hoher Bedarf) oder Klasse 3 (hoher Bedarf). ` +
        `Den höchsten Indexwert ${plural(top.length, "hat", "haben")} ${joinList(top.map((e) => `${e.name} (${formatZ(e.z!)}, Klasse ${e.cls})`))}.`
    );
  } else {
    const sentences = ([[4, class4], [3, class3]] as const).map(([cls, list]) =>
      list.length
        ? `In Klasse ${cls} (${needClassLabel(cls)}) ${plural(list.length, "liegt", "liegen")} ${count(list.length, "Gebiet", "Gebiete")}: ${joinList(list.map(withZ))}.`
        : `Kein Gebiet liegt in Klasse ${cls} (${needClassLabel(cls)}).`
    );
    paragraphs.push(sentences.join(" "));
    const development: string[] = [];
    if (high.some((e) => e.dcls !== null)) {
      development.push(`Die Dynamik beschreibt die Veränderung der Indikatoren seit ${year - dynamicsYears}.`);
    }
    if (!prevAvailable) development.push(`Für ${previousYear} liegt kein Bedarfsindex vor; ein Vergleich der Klassen mit dem Vorjahr ist nicht möglich.`);
    const anyDynamics = high.some((e) => e.dcls !== null);
    if (!prevAvailable && !anyDynamics) development.push(`Eine Dynamik lässt sich für ${plural(high.length, "dieses Gebiet", "diese Gebiete")} nicht berechnen.`);
    for (const e of prevAvailable || anyDynamics ? high : []) {
      const parts: string[] = [];
      if (prevAvailable) {
        if (e.prev === null) parts.push(`${previousYear} ohne Indexwert`);
        else if (e.prev === e.cls) parts.push(`wie ${previousYear} in Klasse ${e.cls}`);
        else {
          const diff = e.cls! - e.prev;
          parts.push(`${previousYear} in Klasse ${e.prev}, jetzt ${count(Math.abs(diff), "Klasse", "Klassen")} ${diff > 0 ? "höher" : "niedriger"}`);
        }
      }
      parts.push(e.dcls === null
        ? "keine Dynamik berechenbar"
        : e.dcls === 2 && Math.abs(e.dz!) > 1
          ? `keine gesicherte Veränderung (Dynamikklasse 2: ${formatZ(e.dz!)} liegt im Bereich der Zufallsschwankung)`
          : `${dynamicsClassLabel(e.dcls)} (Dynamikklasse ${e.dcls}, ${formatZ(e.dz!)})`);
      development.push(`${e.name}: ${parts.join("; ")}.`);
    }
    paragraphs.push(development.join(" "));
  }
  const further: string[] = [];
  if (prevAvailable) {
    const left = entries.filter((e) => e.prev !== null && e.prev >= 3 && !(e.cls !== null && e.cls >= 3)).sort(byName);
    if (left.length) {
      further.push(`Gegenüber ${previousYear} nicht mehr in Klasse 3 oder 4: ${joinList(left.map((e) => `${e.name} (${previousYear} Klasse ${e.prev}, ${year} ${e.cls === null ? "ohne Indexwert" : `Klasse ${e.cls}`})`))}.`);
    }
  }
  const rising = entries.filter((e) => e.dcls === 3 && !(e.cls !== null && e.cls >= 3));
  if (rising.length) {
    rising.sort((a, b) => (b.dz ?? 0) - (a.dz ?? 0) || byName(a, b));
    const item = (e: NeedEntry): string => `${e.name} (${formatZ(e.dz!)})`;
    further.push(
      rising.length <= LIST_LIMIT
        ? `Zunehmenden Bedarf (Dynamikklasse 3) außerhalb der Klassen 3 und 4 ${plural(rising.length, "zeigt", "zeigen")} ${joinList(rising.map(item))}.`
        : `Zunehmenden Bedarf (Dynamikklasse 3) außerhalb der Klassen 3 und 4 zeigen ${formatNumber(rising.length)} Gebiete, am deutlichsten ${joinList(rising.slice(0, LIST_LIMIT).map(item))}.`
    );
  }
  if (further.length) paragraphs.push(further.join(" "));
  return section("need", title, {
    paragraphs,
    data_year: year,
    figures: {
      areas_with_index: classified.length,
      class_4: class4.length,
      class_3: class3.length,
      without_index: missing.length,
      previous_year: prevAvailable ? previousYear : null,
      dynamics_years: dynamicsYears
    },
    table,
    synthetic: await syntheticFor(ctx.conn, [{ids: indexIds, year}, {ids: indexIds, year: prevAvailable ? previousYear : null}])
  });
}

// ---------------------------------------------------------------------------
// (b) deviations from the city value

type DeviationRow = {
  indicator_id: string;
  short_title: string;
  polarity: number;
  ord: number;
  area_id: string;
  rate: number | null;
  city_rate: number | null;
  diff_city: number | null;
  signif: number | null;
  suppressed: string | null;
};

async function deviationSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const rows = await queryRows<DeviationRow>(
    ctx.conn,
    `SELECT p.indicator_id, c.short_title, c.polarity, c.rowid AS ord, p.area_id, p.rate, p.city_rate, p.diff_city, p.signif, p.suppressed
     FROM indicator_published p JOIN indicator_catalogue c USING (indicator_id)
     WHERE p.year = ${year} AND p.level = ${sql(ctx.level)} AND c.in_report AND c.kind = 'proportion'
     ORDER BY c.rowid, p.area_id`
  );
  const cityRows = await queryRows<{indicator_id: string; suppressed: string | null}>(
    ctx.conn,
    `SELECT indicator_id, suppressed FROM indicator_published WHERE year = ${year} AND area_id = ${sql(ctx.rootId)}`
  );
  const citySuppressed = new Set(cityRows.filter((r) => r.suppressed !== null).map((r) => r.indicator_id));
  const indicators: {id: string; title: string; polarity: number; rows: DeviationRow[]}[] = [];
  for (const r of rows) {
    let last = indicators[indicators.length - 1];
    if (!last || last.id !== r.indicator_id) indicators.push((last = {id: r.indicator_id, title: r.short_title, polarity: r.polarity, rows: []}));
    last.rows.push(r);
  }
  const name = (id: string): string => ctx.names.get(id) ?? id;
  const columns: ReportColumn[] = [
    {key: "indicator_id", label: "Indikator-Id", type: "text"},
    {key: "indicator", label: "Indikator", type: "text"},
    {key: "area_id", label: "Gebiets-Id", type: "text"},
    {key: "name", label: "Gebiet", type: "text"},
    {key: "rate", label: "Wert", type: "percent"},
    {key: "city_rate", label: "Stadtwert", type: "percent"},
    {key: "diff_city", label: "Abweichung (Prozentpunkte)", type: "number", decimals: 1},
    {key: "assessment", label: "Bewertung", type: "text"}
  ];
  const tableRows: ReportRow[] = [];
  const paragraphs: string[] = [];
  const title = "Deutliche Abweichungen vom Stadtwert";
  const withheld = rows.filter((r) => r.suppressed !== null).length;
  const cityWithheld = indicators.filter((i) => citySuppressed.has(i.id)).length;
  if (!indicators.length) {
    return section("deviations", title, {
      paragraphs: [`Für ${year} liegen auf der Ebene „${ctx.levelName}“ keine Indikatorwerte für einen Vergleich mit dem Stadtwert vor.`],
      data_year: null,
      figures: {indicators: 0, indicators_compared: 0, indicators_with_deviation: 0, cells: 0, withheld: 0, city_withheld: 0},
      table: {columns, rows: []},
      synthetic: false
    });
  }
  const unfavourable = new Map<string, number>();
  const indicatorSentences: string[] = [];
  for (const indicator of indicators) {
    const significant = indicator.rows.filter((r) => r.suppressed === null && r.rate !== null && (r.signif === 1 || r.signif === -1));
    if (!significant.length) continue;
    const order = (a: DeviationRow, b: DeviationRow): number => Math.abs(b.diff_city ?? 0) - Math.abs(a.diff_city ?? 0) || compareNames(name(a.area_id), name(b.area_id));
    const above = significant.filter((r) => r.signif === 1).sort(order);
    const below = significant.filter((r) => r.signif === -1).sort(order);
    const item = (r: DeviationRow): string => `${name(r.area_id)} (${formatPercent(r.rate!)})`;
    let first: {label: string; rows: DeviationRow[]};
    let second: {label: string; rows: DeviationRow[]};
    if (indicator.polarity === 0) {
      first = {label: "höher", rows: above};
      second = {label: "niedriger", rows: below};
    } else {
      const worse = indicator.polarity > 0 ? above : below;
      const better = indicator.polarity > 0 ? below : above;
      first = {label: "ungünstiger", rows: worse};
      second = {label: "günstiger", rows: better};
      for (const r of worse) unfavourable.set(r.area_id, (unfavourable.get(r.area_id) ?? 0) + 1);
    }
    const segments: string[] = [];
    // long lists name the strongest deviations only; the table has all of them
    const areasText = (list: DeviationRow[]): string =>
      list.length <= LIST_LIMIT ? `in ${joinList(list.map(item))}` : `in ${formatNumber(list.length)} Gebieten, am deutlichsten in ${joinList(list.slice(0, LIST_LIMIT).map(item))}`;
    if (first.rows.length) segments.push(`${first.label} als die Stadt ${areasText(first.rows)}`);
    if (second.rows.length) segments.push(`${second.label}${segments.length ? "" : " als die Stadt"} ${areasText(second.rows)}`);
    const cityRate = significant[0]!.city_rate!;
    indicatorSentences.push(`${indicator.title} (Stadt: ${formatPercent(cityRate)}): ${segments.join("; ")}.`);
    for (const group of [first, second]) {
      for (const r of group.rows) {
        tableRows.push({indicator_id: indicator.id, indicator: indicator.title, area_id: r.area_id, name: name(r.area_id), rate: r.rate, city_rate: r.city_rate, diff_city: r.diff_city, assessment: group.label});
      }
    }
  }
  // indicators whose city value is withheld cannot be compared
  const comparable = indicators.filter((i) => !citySuppressed.has(i.id) && i.rows.some((r) => r.city_rate !== null));
  const m = comparable.length;
  const k = indicatorSentences.length;
  const definition = "Deutlich heißt: Das Gebiet unterscheidet sich statistisch gesichert vom übrigen Stadtgebiet (Differenz zweier Anteile nach Newcombe, 95 %, mit Benjamini-Hochberg-Korrektur für die vielen gleichzeitigen Vergleiche).";
  if (m === 0) {
    paragraphs.push(`Für ${year} lässt sich auf der Ebene „${ctx.levelName}“ kein Indikator mit dem Stadtwert vergleichen.`);
  } else if (k === 0) {
    paragraphs.push(
      m === 1
        ? `Im Jahr ${year} weicht beim einzigen verglichenen Indikator (${comparable[0]!.title}) kein Gebiet deutlich vom Stadtwert ab. ${definition}`
        : `Im Jahr ${year} weicht bei keinem der ${formatNumber(m)} verglichenen Indikatoren ein Gebiet deutlich vom Stadtwert ab. ${definition}`
    );
  } else {
    const scope = m === 1 ? `beim einzigen verglichenen Indikator (${comparable[0]!.title})` : k === m ? `bei allen ${formatNumber(m)} verglichenen Indikatoren` : `bei ${formatNumber(k)} von ${formatNumber(m)} verglichenen Indikatoren`;
    paragraphs.push(`Im Jahr ${year} liegt ${scope} mindestens ein Gebiet deutlich über oder unter dem Stadtwert. ${definition}`);
    paragraphs.push(...indicatorSentences);
    if (comparable.some((i) => i.polarity !== 0)) {
      const max = Math.max(0, ...unfavourable.values());
      if (max === 0) paragraphs.push("Kein Gebiet ist bei einem Indikator deutlich ungünstiger als die Stadt.");
      else {
        const names = [...unfavourable.entries()].filter(([, n]) => n === max).map(([id]) => name(id)).sort(compareNames);
        paragraphs.push(`Am häufigsten ungünstiger als die Stadt ${plural(names.length, "ist", "sind")} ${joinList(names)} (${names.length > 1 ? "je " : "bei "}${count(max, "Indikator", "Indikatoren")}).`);
      }
    }
  }
  let protection =
    withheld === 0
      ? "Kein Wert dieser Ebene musste wegen kleiner Fallzahlen zurückgehalten werden."
      : `Wegen kleiner Fallzahlen ${plural(withheld, "ist", "sind")} ${formatNumber(withheld)} von ${formatNumber(rows.length)} Werten dieser Ebene nicht veröffentlicht; sie gehen in diese Aussagen nicht ein.`;
  if (cityWithheld) protection += ` Bei ${count(cityWithheld, "Indikator", "Indikatoren")} ist der Stadtwert selbst geheim; dort entfällt der Vergleich.`;
  paragraphs.push(protection);
  return section("deviations", title, {
    paragraphs,
    data_year: year,
    figures: {indicators: indicators.length, indicators_compared: m, indicators_with_deviation: k, cells: rows.length, withheld, city_withheld: cityWithheld},
    table: {columns, rows: tableRows},
    synthetic: await syntheticFor(ctx.conn, [{ids: indicators.map((i) => i.id), year}])
  });
}

// ---------------------------------------------------------------------------
// (c) Kita coverage

type KitaAreaRow = {
  area_id: string;
  kitas: number;
  children_u3: number | null;
  places_u3: number;
  children_ue3: number | null;
  places_ue3: number;
};

const AGE_GROUPS = [
  {key: "u3", label: "U3 (Kinder unter 3 Jahren)", short: "U3"},
  {key: "ue3", label: "Ü3 (Kinder von 3 bis unter 6 Jahren)", short: "Ü3"}
] as const;
type AgeKey = (typeof AGE_GROUPS)[number]["key"];

/** Kita facts of one year summed to the areas of `level` and the city (root). Children NULL when any part is unknown. */
export function kitaAreasSql(year: number, level: string | null): string {
  return `
SELECT c.ancestor_id AS area_id, CAST(sum(k.kitas) AS DOUBLE) AS kitas,
       CASE WHEN bool_or(k.children_0_3 IS NULL) THEN NULL ELSE CAST(sum(k.children_0_3) AS DOUBLE) END AS children_u3,
       CAST(sum(k.places_u3) AS DOUBLE) AS places_u3,
       CASE WHEN bool_or(k.children_3_6 IS NULL) THEN NULL ELSE CAST(sum(k.children_3_6) AS DOUBLE) END AS children_ue3,
       CAST(sum(k.places_ue3) AS DOUBLE) AS places_ue3
FROM kita_facts k
JOIN area_closure c ON c.area_id = k.area_id
JOIN areas a ON a.area_id = c.ancestor_id
WHERE k.year = ${year}${level === null ? "" : ` AND (a.level = ${sql(level)} OR a.level_rank = 0)`}
GROUP BY c.ancestor_id`;
}

/**
 * Withheld Kita coverage cells as keys "u3|year|area_id" / "ue3|year|area_id" (all years when year is null).
 * The indicator ids come from the catalogue's target key (kita_targets u3/ue3).
 */
/** The German word of a recent trend, with its reading by polarity. */
export function trendLabel(outcome: TrendOutcome, polarity: number): string {
  if (outcome === "cannot_be_calculated") return "nicht berechenbar";
  if (outcome === "no_change") return "keine signifikante Veränderung";
  const rising = outcome === "increasing";
  const word = rising ? "steigend" : "fallend";
  if (polarity === 0) return word;
  return `${word} (${(rising ? 1 : -1) * polarity > 0 ? "ungünstig" : "günstig"})`;
}

/**
 * The recent trend (Fingertips: χ² test for linear trend over the last five years at 99,8 %,
 * direction stable when any one year is left out; loaders/stats/trend.ts) of every report
 * indicator that is a proportion, per area of the report level, from published counts only.
 */
async function trendSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const first = year - (TREND_POINTS - 1);
  const rows = await queryRows<{indicator_id: string; short_title: string; polarity: number; ord: number; area_id: string; year: number; numerator: number | null; denominator: number | null}>(
    ctx.conn,
    `SELECT p.indicator_id, c.short_title, c.polarity, c.rowid AS ord, p.area_id, p.year, p.numerator, p.denominator
     FROM indicator_published p JOIN indicator_catalogue c USING (indicator_id)
     WHERE p.year BETWEEN ${first} AND ${year} AND p.level = ${sql(ctx.level)} AND c.in_report AND c.kind = 'proportion'
     ORDER BY c.rowid, p.area_id, p.year`
  );
  const series = new Map<string, {indicator_id: string; title: string; polarity: number; area_id: string; points: TrendPoint[]}>();
  for (const r of rows) {
    const key = `${r.indicator_id}\u0000${r.area_id}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = {indicator_id: r.indicator_id, title: r.short_title, polarity: Number(r.polarity), area_id: r.area_id, points: []}));
    s.points.push({year: Number(r.year), numerator: r.numerator, denominator: r.denominator});
  }
  const name = (id: string): string => ctx.names.get(id) ?? id;
  const results = [...series.values()].map((s) => ({...s, trend: recentTrend(s.points, year)}));
  const computable = results.filter((r) => r.trend.outcome !== "cannot_be_calculated");
  const significant = computable.filter((r) => r.trend.outcome === "increasing" || r.trend.outcome === "decreasing");
  const columns: ReportColumn[] = [
    {key: "indicator_id", label: "Indikator-Id", type: "text"},
    {key: "indicator", label: "Indikator", type: "text"},
    {key: "area_id", label: "Gebiets-Id", type: "text"},
    {key: "name", label: "Gebiet", type: "text"},
    {key: "trend", label: "Trend", type: "text"},
    {key: "trend_chi2", label: "Chi-Quadrat", type: "number", decimals: 1}
  ];
  const title = "Entwicklung der letzten fünf Jahre";
  const ids = [...new Set(results.map((r) => r.indicator_id))];
  const synthetic = await syntheticFor(ctx.conn, [{ids, year}]);
  const figures = {trend_series: computable.length, trend_significant: significant.length, trend_not_computable: results.length - computable.length};
  if (!computable.length) {
    return section("trends", title, {
      paragraphs: [`Ein Trend braucht fünf aufeinanderfolgende Jahre mit veröffentlichten Werten (${first} bis ${year}); auf der Ebene „${ctx.levelName}“ liegen sie für keinen Indikator vor.`],
      data_year: null, figures, table: {columns, rows: []}, synthetic: false
    });
  }
  const paragraphs = [
    `Geprüft wird, ob sich ein Anteil von ${first} bis ${year} gleichgerichtet verändert hat: Chi-Quadrat-Test auf linearen Trend mit 99,8 % Sicherheit, wie in den Gesundheitsprofilen Englands (Fingertips); die Richtung muss auch ohne jedes einzelne Jahr gleich bleiben. ` +
      (significant.length
        ? `Bei ${formatNumber(significant.length)} von ${formatNumber(computable.length)} berechenbaren Verläufen zeigt sich ein gesicherter Trend.`
        : `Keiner der ${formatNumber(computable.length)} berechenbaren Verläufe zeigt einen gesicherten Trend.`) +
      (results.length > computable.length ? ` ${formatNumber(results.length - computable.length)} ${results.length - computable.length === 1 ? "Verlauf ist" : "Verläufe sind"} wegen fehlender oder geheim gehaltener Jahre nicht berechenbar.` : "")
  ];
  for (const id of ids) {
    const list = significant.filter((r) => r.indicator_id === id).sort((a, b) => compareNames(name(a.area_id), name(b.area_id)));
    if (!list.length) continue;
    const groups = new Map<string, string[]>();
    for (const r of list) {
      const label = trendLabel(r.trend.outcome, r.polarity);
      groups.set(label, [...(groups.get(label) ?? []), name(r.area_id)]);
    }
    const parts = [...groups].map(([label, names]) => {
      const [word, reading] = label.split(" (");
      const shown = names.length <= LIST_LIMIT ? joinList(names) : `${formatNumber(names.length)} Gebieten, darunter ${joinList(names.slice(0, LIST_LIMIT))}`;
      return `${word} in ${shown}${reading ? ` (${reading}` : ""}`;
    });
    paragraphs.push(`${list[0]!.title}: ${parts.join("; ")}.`);
  }
  const tableRows: ReportRow[] = results
    .filter((r) => r.trend.outcome === "increasing" || r.trend.outcome === "decreasing")
    .sort((a, b) => ids.indexOf(a.indicator_id) - ids.indexOf(b.indicator_id) || compareNames(name(a.area_id), name(b.area_id)))
    .map((r) => ({indicator_id: r.indicator_id, indicator: r.title, area_id: r.area_id, name: name(r.area_id), trend: trendLabel(r.trend.outcome, r.polarity), trend_chi2: r.trend.chi2}));
  return section("trends", title, {paragraphs, data_year: year, figures, table: {columns, rows: tableRows}, synthetic});
}

export async function kitaSuppression(conn: DuckDBConnection, year: number | null): Promise<{ids: Record<AgeKey, string | null>; withheld: Set<string>}> {
  const targets = await queryRows<{indicator_id: string; target: string}>(conn, "SELECT indicator_id, target FROM indicator_catalogue WHERE target IN ('u3', 'ue3')");
  const ids: Record<AgeKey, string | null> = {u3: null, ue3: null};
  for (const t of targets) ids[t.target as AgeKey] = t.indicator_id;
  const withheld = new Set<string>();
  const present = Object.values(ids).filter((id): id is string => id !== null);
  if (present.length) {
    const rows = await queryRows<{indicator_id: string; area_id: string; year: number}>(
      conn,
      `SELECT indicator_id, area_id, year FROM indicator_published WHERE suppressed IS NOT NULL AND indicator_id IN (${sqlList(present)})${year === null ? "" : ` AND year = ${year}`}`
    );
    for (const r of rows) {
      const key = r.indicator_id === ids.u3 ? "u3" : "ue3";
      withheld.add(`${key}|${r.year}|${r.area_id}`);
    }
  }
  return {ids, withheld};
}

async function kitaSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const title = "Kita-Versorgung: fehlende Plätze";
  const targets = ctx.config.kita_targets;
  const [latest] = await queryRows<{y: number | null}>(ctx.conn, `SELECT max(year) AS y FROM kitas WHERE year <= ${year}`);
  const dataYear = latest?.y ?? null;
  const columns: ReportColumn[] = [
    {key: "area_id", label: "Gebiets-Id", type: "text"},
    {key: "name", label: "Gebiet", type: "text"},
    ...AGE_GROUPS.flatMap((g): ReportColumn[] => [
      {key: `children_${g.key}`, label: `Kinder ${g.short}`, type: "number", decimals: 0},
      {key: `places_${g.key}`, label: `Plätze ${g.short}`, type: "number", decimals: 0},
      {key: `coverage_${g.key}`, label: `Versorgungsquote ${g.short}`, type: "percent"},
      {key: `missing_${g.key}`, label: `fehlende Plätze ${g.short}`, type: "number", decimals: 0}
    ]),
    {key: "protection", label: "Geheimhaltung", type: "text"}
  ];
  if (dataYear === null) {
    return section("kita", title, {
      paragraphs: [`Für ${year} liegen keine Kita-Daten vor.`],
      data_year: null,
      figures: {target_u3: targets.u3, target_ue3: targets.ue3},
      table: {columns, rows: []},
      synthetic: false
    });
  }
  const rows = await queryRows<KitaAreaRow>(ctx.conn, kitaAreasSql(dataYear, ctx.level));
  const byId = new Map(rows.map((r) => [r.area_id, r]));
  const {ids, withheld} = await kitaSuppression(ctx.conn, dataYear);
  const isWithheld = (g: AgeKey, areaId: string): boolean => withheld.has(`${g}|${dataYear}|${areaId}`);
  const paragraphs: string[] = [];
  if (dataYear < year) paragraphs.push(`Für ${year} liegen keine Kita-Daten vor; die Angaben beziehen sich auf ${dataYear}.`);
  const figures: Record<string, number | string | null> = {target_u3: targets.u3, target_ue3: targets.ue3};
  const tableRows: ReportRow[] = [];
  const allAreas: Area[] = [{area_id: ctx.rootId, name: ctx.names.get(ctx.rootId) ?? ctx.rootId}, ...ctx.areas];
  for (const area of allAreas) {
    const r = byId.get(area.area_id) as unknown as Record<string, number | null> | undefined;
    const row: ReportRow = {area_id: area.area_id, name: area.name};
    const secret: string[] = [];
    for (const g of AGE_GROUPS) {
      const children = r?.[`children_${g.key}`] ?? null;
      const places = r?.[`places_${g.key}`] ?? null;
      if (isWithheld(g.key, area.area_id)) {
        secret.push(g.short);
        Object.assign(row, {[`children_${g.key}`]: null, [`places_${g.key}`]: null, [`coverage_${g.key}`]: null, [`missing_${g.key}`]: null});
      } else {
        const ok = children !== null && children > 0 && places !== null;
        Object.assign(row, {
          [`children_${g.key}`]: children,
          [`places_${g.key}`]: places,
          [`coverage_${g.key}`]: ok ? places! / children! : null,
          [`missing_${g.key}`]: ok ? missingPlaces(targets[g.key], children!, places!) : null
        });
      }
    }
    row.protection = secret.length ? `${joinList(secret)} ${WITHHELD_TEXT}` : "";
    tableRows.push(row);
  }
  for (const g of AGE_GROUPS) {
    const target = targets[g.key];
    const cityRow = tableRows[0]!;
    const sentences: string[] = [];
    const cityChildren = cityRow[`children_${g.key}`] as number | null;
    const cityPlaces = cityRow[`places_${g.key}`] as number | null;
    const cityMissing = cityRow[`missing_${g.key}`] as number | null;
    if (isWithheld(g.key, ctx.rootId)) sentences.push(`${g.label}: Die stadtweite Versorgungsquote ist wegen kleiner Zahlen geheim.`);
    else if (cityChildren === null || cityChildren <= 0 || cityPlaces === null || cityMissing === null) {
      sentences.push(`${g.label}: Für die Stadt fehlt die Zahl der Kinder; die Versorgungsquote lässt sich nicht berechnen.`);
    } else {
      sentences.push(
        `${g.label}: Stadtweit kommen auf ${count(cityChildren, "Kind", "Kinder")} ${count(cityPlaces, "genehmigter Platz", "genehmigte Plätze")}, eine Versorgungsquote von ${formatPercent(cityPlaces / cityChildren)} (Ziel: ${formatTarget(target)}).`
      );
      sentences.push(cityMissing > 0 ? `Bis zum Ziel ${plural(cityMissing, "fehlt", "fehlen")} stadtweit ${count(cityMissing, "Platz", "Plätze")}.` : "Das Ziel ist stadtweit erreicht.");
    }
    figures[`city_missing_${g.key}`] = cityMissing;
    const areaRows = tableRows.slice(1);
    const secretAreas = areaRows.filter((row) => isWithheld(g.key, String(row.area_id)));
    const evaluated = areaRows.filter((row) => row[`coverage_${g.key}`] !== null);
    const noChildren = areaRows.length - secretAreas.length - evaluated.length;
    const missingOf = (row: ReportRow): number => row[`missing_${g.key}`] as number;
    const gaps = evaluated.filter((row) => missingOf(row) > 0).sort((a, b) => missingOf(b) - missingOf(a) || compareNames(String(a.name), String(b.name)));
    const item = (row: ReportRow): string => `${row.name} (${count(missingOf(row), "Platz", "Plätze")}, Quote ${formatPercent(row[`coverage_${g.key}`] as number)})`;
    if (!evaluated.length) sentences.push("Für kein Gebiet lässt sich eine Versorgungsquote veröffentlichen.");
    else if (!gaps.length) sentences.push("Kein Gebiet liegt unter dem Ziel.");
    else if (evaluated.length === 1) {
      const only = gaps[0]!;
      sentences.push(
        `Das einzige bewertete Gebiet, ${only.name}, liegt unter dem Ziel: Dort ${plural(missingOf(only), "fehlt", "fehlen")} ${count(missingOf(only), "Platz", "Plätze")} (Versorgungsquote ${formatPercent(only[`coverage_${g.key}`] as number)}).`
      );
    } else if (gaps.length === 1) {
      const only = gaps[0]!;
      sentences.push(
        `1 von ${formatNumber(evaluated.length)} bewerteten ${plural(evaluated.length, "Gebiet", "Gebieten")} liegt unter dem Ziel: In ${only.name} ${plural(missingOf(only), "fehlt", "fehlen")} ${count(missingOf(only), "Platz", "Plätze")} (Versorgungsquote ${formatPercent(only[`coverage_${g.key}`] as number)}).`
      );
    } else {
      const sum = gaps.reduce((s, row) => s + missingOf(row), 0);
      const share =
        gaps.length === evaluated.length
          ? gaps.length === 2
            ? "Beide bewerteten Gebiete"
            : `Alle ${formatNumber(gaps.length)} bewerteten Gebiete`
          : `${formatNumber(gaps.length)} von ${formatNumber(evaluated.length)} bewerteten Gebieten`;
      sentences.push(`${share} liegen unter dem Ziel; dort fehlen zusammen ${formatNumber(sum)} Plätze.`);
      sentences.push(gaps.length <= 3 ? `Nach Größe der Lücke: ${joinList(gaps.map(item))}.` : `Die größten Lücken: ${joinList(topWithTies(gaps, 3, missingOf).map(item))}.`);
    }
    if (secretAreas.length) sentences.push(`Für ${count(secretAreas.length, "Gebiet", "Gebiete")} ist die Quote wegen kleiner Zahlen geheim und hier nicht bewertet.`);
    if (noChildren > 0) sentences.push(`Für ${count(noChildren, "Gebiet", "Gebiete")} fehlt die Zahl der Kinder.`);
    figures[`areas_below_${g.key}`] = gaps.length;
    figures[`missing_in_areas_${g.key}`] = gaps.reduce((s, row) => s + missingOf(row), 0);
    figures[`withheld_${g.key}`] = secretAreas.length;
    paragraphs.push(sentences.join(" "));
  }
  paragraphs.push("Fehlende Plätze: Zielquote mal Zahl der Kinder, aufgerundet, abzüglich der genehmigten Plätze.");
  return section("kita", title, {
    paragraphs,
    data_year: dataYear,
    figures,
    table: {columns, rows: tableRows},
    synthetic: await syntheticFor(ctx.conn, [{ids: Object.values(ids).filter((id): id is string => id !== null), year: dataYear}])
  });
}

// ---------------------------------------------------------------------------
// (d) funding against need

async function fundingSuppression(conn: DuckDBConnection, year: number): Promise<Set<string>> {
  const rows = await queryRows<{area_id: string}>(conn, `SELECT area_id FROM indicator_published WHERE indicator_id = 'funding_per_child' AND year = ${year} AND suppressed IS NOT NULL`);
  return new Set(rows.map((r) => r.area_id));
}

async function fundingSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const title = "Fördermittel nach Bedarf";
  const columns: ReportColumn[] = [
    {key: "area_id", label: "Gebiets-Id", type: "text"},
    {key: "name", label: "Gebiet", type: "text"},
    {key: "need_class", label: "Bedarfsklasse", type: "number", decimals: 0},
    {key: "need_z", label: "Bedarfsindex (z-Wert)", type: "number", decimals: 2},
    {key: "children", label: "Kinder unter 18", type: "number", decimals: 0},
    {key: "amount_eur", label: "bewilligt (€)", type: "euro"},
    {key: "eur_per_child", label: "€ je Kind", type: "euro"},
    {key: "protection", label: "Geheimhaltung", type: "text"}
  ];
  const [latest] = await queryRows<{y: number | null}>(ctx.conn, `SELECT max(year) AS y FROM measures WHERE status = 'bewilligt' AND year <= ${year}`);
  const [requestedRow] = await queryRows<{s: number | null}>(ctx.conn, `SELECT sum(amount_eur) AS s FROM measures WHERE status = 'beantragt' AND year = ${year}`);
  const fundingYear = latest?.y ?? null;
  const requested = requestedRow?.s ?? 0;
  const requestedNote = requested > 0 ? ` (beantragt: ${formatEuro(requested)})` : "";
  const paragraphs: string[] = [];
  if (fundingYear === null) {
    return section("funding", title, {
      paragraphs: [`Für ${year} und die Jahre davor liegen keine bewilligten Fördermittel vor${requestedNote}.`],
      data_year: null,
      figures: {requested_eur: requested},
      table: {columns, rows: []},
      synthetic: false
    });
  }
  if (fundingYear < year) paragraphs.push(`Für ${year} liegen keine bewilligten Fördermittel vor${requestedNote}; die folgenden Angaben beziehen sich auf ${fundingYear}.`);
  const inputs = await loadConcentrationInputs(ctx.conn, {level: ctx.level});
  const areaRows = inputs.areas.filter((a) => a.year === fundingYear);
  const amounts = new Map<string, number>();
  for (const f of inputs.funding) if (f.year === fundingYear) amounts.set(f.area_id, (amounts.get(f.area_id) ?? 0) + f.amount);
  // needAreasSql also returns the need-index year used for the funding year (same year, else the latest earlier one)
  const needYear = (areaRows as unknown as {need_year: number | null}[]).find((a) => a.need_year !== null)?.need_year ?? null;
  const entries = areaRows
    .map((a) => ({area_id: a.area_id, name: a.name, need: a.need, need_class: a.need_class, population: a.population ?? 0, amount: amounts.get(a.area_id) ?? 0}))
    .sort(byName);
  // city totals from the city's published cell (areas with a withheld population carry no amounts)
  const [cityCell] = await queryRows<{numerator: number | null; denominator: number | null}>(ctx.conn, `
    SELECT p.numerator, p.denominator FROM indicator_published p JOIN areas a USING (area_id)
    WHERE a.level_rank = 0 AND p.indicator_id = 'funding_per_child' AND p.year = ${fundingYear}`);
  const totalAmount = cityCell?.numerator ?? entries.reduce((s, e) => s + e.amount, 0);
  const totalChildren = cityCell?.denominator ?? entries.reduce((s, e) => s + e.population, 0);
  // withheld: the area's funding cell, or any of its child population counts (small-number protection)
  const secret = new Set([...(await fundingSuppression(ctx.conn, fundingYear)), ...areaRows.filter((a) => a.population === null).map((a) => a.area_id)]);
  const tableRows: ReportRow[] = entries.map((e) =>
    secret.has(e.area_id)
      ? {area_id: e.area_id, name: e.name, need_class: e.need_class, need_z: e.need, children: null, amount_eur: null, eur_per_child: null, protection: WITHHELD_TEXT}
      : {area_id: e.area_id, name: e.name, need_class: e.need_class, need_z: e.need, children: e.population, amount_eur: e.amount, eur_per_child: e.population > 0 ? e.amount / e.population : null, protection: ""}
  );
  const figures: Record<string, number | string | null> = {
    funding_year: fundingYear,
    need_year: needYear,
    total_eur: totalAmount,
    eur_per_child_city: totalChildren > 0 ? totalAmount / totalChildren : null,
    eur_per_child_high: null,
    eur_per_child_low: null,
    ratio_high_low: null,
    concentration_index: null,
    requested_eur: requested
  };
  let overview = `${fundingYear} wurden ${formatEuro(totalAmount)} bewilligt`;
  overview += totalChildren > 0 ? `; das sind ${formatEuro(totalAmount / totalChildren, 2)} je Kind unter 18 Jahren.` : ".";
  if (fundingYear === year && requested > 0) overview += ` Weitere ${formatEuro(requested)} sind beantragt, aber noch nicht bewilligt.`;
  if (needYear === null) overview += ` Für ${fundingYear} liegt kein Bedarfsindex vor; ein Vergleich nach Bedarf ist nicht möglich.`;
  else if (needYear !== fundingYear) overview += ` Die Bedarfsklassen stammen aus dem Bedarfsindex ${needYear}.`;
  paragraphs.push(overview);
  const synthetic = await syntheticFor(ctx.conn, [
    {ids: ["funding_per_child"], year: fundingYear},
    {ids: ctx.config.need_index.indicators.map((i) => i.id), year: needYear}
  ]);
  if (needYear === null) {
    return section("funding", title, {paragraphs, data_year: fundingYear, figures, table: {columns, rows: tableRows}, synthetic});
  }
  // Areas whose funding_per_child cell is withheld are left out of every group figure and of the
  // concentration index: a group sum with one withheld member would give its children back.
  const open = entries.filter((e) => !secret.has(e.area_id));
  const withheld = entries.length - open.length;
  const high = open.filter((e) => e.need_class !== null && e.need_class >= 3);
  const low = open.filter((e) => e.need_class === 1 || e.need_class === 2);
  const unclassified = open.filter((e) => e.need_class === null);
  const sum = (list: typeof entries, f: (e: (typeof entries)[number]) => number): number => list.reduce((s, e) => s + f(e), 0);
  const comparison: string[] = [];
  if (!high.length) comparison.push("Kein Gebiet liegt in den Bedarfsklassen 3 oder 4; ein Vergleich zwischen Gebieten mit hohem und geringerem Bedarf ist nicht möglich.");
  else if (!low.length) comparison.push("Alle Gebiete mit Indexwert liegen in den Bedarfsklassen 3 oder 4; ein Vergleich zwischen Gebieten mit hohem und geringerem Bedarf ist nicht möglich.");
  else {
    const childrenHigh = sum(high, (e) => e.population);
    const childrenLow = sum(low, (e) => e.population);
    const amountHigh = sum(high, (e) => e.amount);
    const amountLow = sum(low, (e) => e.amount);
    if (childrenHigh <= 0 || childrenLow <= 0) comparison.push("Für einen Vergleich je Kind fehlen die Kinderzahlen.");
    else {
      const perHigh = amountHigh / childrenHigh;
      const perLow = amountLow / childrenLow;
      figures.eur_per_child_high = perHigh;
      figures.eur_per_child_low = perLow;
      const highText =
        high.length === 1
          ? `Im einzigen Gebiet mit hohem oder sehr hohem Bedarf (Klasse ${high[0]!.need_class}: ${high[0]!.name})`
          : `In den ${formatNumber(high.length)} Gebieten mit hohem oder sehr hohem Bedarf (Klassen 3 und 4: ${joinList(high.map((e) => e.name))})`;
      const lowText =
        low.length === 1
          ? `im einzigen übrigen Gebiet mit Indexwert (Klasse ${low[0]!.need_class}: ${low[0]!.name})`
          : `in den ${formatNumber(low.length)} übrigen Gebieten mit Indexwert (Klassen 1 und 2)`;
      comparison.push(`${highText} kommen ${formatEuro(perHigh, 2)} auf jedes Kind, ${lowText} ${formatEuro(perLow, 2)}.`);
      if (amountLow === 0 && amountHigh === 0) comparison.push("Keine der beiden Gruppen erhielt Mittel.");
      else if (amountLow === 0) comparison.push("Die Gebiete der Klassen 1 und 2 erhielten keine Mittel.");
      else if (amountHigh === 0) comparison.push("Die Gebiete der Klassen 3 und 4 erhielten keine Mittel.");
      else {
        const ratio = perHigh / perLow;
        figures.ratio_high_low = ratio;
        const text = formatNumber(ratio, 1);
        if (text === "1,0") comparison.push("Je Kind fließt damit in beide Gruppen etwa gleich viel.");
        else comparison.push(`Je Kind fließt damit in Gebiete mit hohem Bedarf ${ratio < 1 ? "nur " : ""}das ${text}-Fache.`);
      }
    }
  }
  if (unclassified.length) {
    comparison.push(`${count(unclassified.length, "Gebiet", "Gebiete")} ohne Indexwert ${plural(unclassified.length, "bleibt", "bleiben")} in diesem Vergleich außen vor.`);
  }
  if (withheld) {
    comparison.push(`Für ${count(withheld, "Gebiet", "Gebiete")} ${plural(withheld, "ist", "sind")} die Zahlen zum Schutz kleiner Fallzahlen geheim; ${plural(withheld, "es ist", "sie sind")} in diesem Vergleich und im Konzentrationsindex nicht enthalten.`);
  }
  paragraphs.push(comparison.join(" "));
  const curve = concentrationCurve(open.map((e): ConcentrationRow => ({area_id: e.area_id, need: e.need, population: e.population, amount: e.amount})));
  // one area with a need value is no distribution: no index rather than a "C = 0" finding
  const comparable = open.filter((e) => e.need !== null).length;
  figures.concentration_index = comparable >= 2 ? curve.index : null;
  let concentration =
    comparable < 2
      ? "Für einen Konzentrationsindex sind zu wenige Gebiete mit veröffentlichten Zahlen und Bedarfsindex vorhanden; er entfällt."
      : curve.index === null
      ? describeConcentration(null)
      : `${curve.interpretation} Der Konzentrationsindex C reicht von -1 bis +1: 0 heißt gleich viel Geld je Kind in allen Gebieten, positive Werte heißen mehr Geld je Kind dort, wo der Bedarf höher ist, negative Werte das Gegenteil.`;
  const excludedWithMoney = curve.excluded.filter((x) => x.amount > 0);
  if (excludedWithMoney.length) {
    const money = formatEuro(excludedWithMoney.reduce((s, x) => s + x.amount, 0));
    concentration += ` ${count(excludedWithMoney.length, "Gebiet", "Gebiete")} ohne Bedarfsindex (${excludedWithMoney.length > 1 ? "zusammen " : ""}${money}) ${plural(excludedWithMoney.length, "ist", "sind")} darin nicht enthalten.`;
  }
  paragraphs.push(concentration);
  return section("funding", title, {paragraphs, data_year: fundingYear, figures, table: {columns, rows: tableRows}, synthetic});
}

// ---------------------------------------------------------------------------
// (e) reach of the measures

type ReachRowDb = {
  indicator_id: string;
  area_id: string;
  numerator: number | null;
  denominator: number | null;
  rate: number | null;
  suppressed: string | null;
};

async function reachSection(ctx: Context): Promise<ReportSection> {
  const {year} = ctx;
  const title = "Reichweite der Maßnahmen";
  const reachIds = new Set(loadCatalogue().filter((i) => i.source_view === "reach_facts").map((i) => i.id));
  const catalogue = (await queryRows<{indicator_id: string; title: string}>(ctx.conn, "SELECT indicator_id, title FROM indicator_catalogue ORDER BY rowid")).filter((c) => reachIds.has(c.indicator_id));
  const ids = catalogue.map((c) => c.indicator_id);
  const columns: ReportColumn[] = [
    {key: "indicator_id", label: "Indikator-Id", type: "text"},
    {key: "area_id", label: "Gebiets-Id", type: "text"},
    {key: "name", label: "Gebiet", type: "text"},
    {key: "reach", label: "erreicht", type: "number", decimals: 1},
    {key: "target_population", label: "Zielgruppe", type: "number", decimals: 1},
    {key: "rate", label: "Reichweite", type: "percent"},
    {key: "protection", label: "Geheimhaltung", type: "text"}
  ];
  const [latest] = ids.length
    ? await queryRows<{y: number | null}>(ctx.conn, `SELECT max(year) AS y FROM indicator_published WHERE indicator_id IN (${sqlList(ids)}) AND year <= ${year} AND (rate IS NOT NULL OR suppressed IS NOT NULL)`)
    : [{y: null}];
  const dataYear = latest?.y ?? null;
  if (dataYear === null) {
    return section("reach", title, {
      paragraphs: [`Für ${year} liegen keine Angaben zur Reichweite der Maßnahmen vor.`],
      data_year: null,
      figures: {},
      table: {columns, rows: []},
      synthetic: false
    });
  }
  const rows = await queryRows<ReachRowDb>(
    ctx.conn,
    `SELECT indicator_id, area_id, numerator, denominator, rate, suppressed FROM indicator_published
     WHERE year = ${dataYear} AND indicator_id IN (${sqlList(ids)}) AND (level = ${sql(ctx.level)} OR area_id = ${sql(ctx.rootId)})`
  );
  const paragraphs: string[] = [];
  if (dataYear < year) paragraphs.push(`Für ${year} liegen keine Reichweiten vor; die Angaben beziehen sich auf ${dataYear}.`);
  const figures: Record<string, number | string | null> = {};
  const tableRows: ReportRow[] = [];
  const cityName = ctx.names.get(ctx.rootId) ?? ctx.rootId;
  for (const indicator of catalogue) {
    const own = rows.filter((r) => r.indicator_id === indicator.indicator_id);
    if (!own.length) continue;
    const city = own.find((r) => r.area_id === ctx.rootId);
    const byArea = new Map(own.filter((r) => r.area_id !== ctx.rootId).map((r) => [r.area_id, r]));
    const sentences: string[] = [];
    if (city?.suppressed) sentences.push(`${indicator.title}: Der stadtweite Wert ist wegen kleiner Zahlen geheim.`);
    else if (city?.rate == null) sentences.push(`${indicator.title}: Es gibt keinen stadtweiten Wert.`);
    else sentences.push(`${indicator.title}: stadtweit ${formatPercent(city.rate)}.`);
    figures[`${indicator.indicator_id}_city`] = city?.suppressed ? null : (city?.rate ?? null);
    const published = ctx.areas
      .map((a) => ({...a, row: byArea.get(a.area_id)}))
      .filter((a): a is Area & {row: ReachRowDb} => a.row !== undefined && a.row.suppressed === null && a.row.rate !== null);
    const secret = ctx.areas.filter((a) => byArea.get(a.area_id)?.suppressed);
    const withoutValue = ctx.areas.length - published.length - secret.length;
    const rate = (a: {row: ReachRowDb}): number => a.row.rate!;
    if (!published.length) sentences.push("Für kein Gebiet ist ein Wert veröffentlicht.");
    else if (published.length === 1) sentences.push(`Veröffentlicht ist der Wert nur für ${published[0]!.name} (${formatPercent(rate(published[0]!))}).`);
    else {
      const max = extremes(published, rate, "max");
      const min = extremes(published, rate, "min");
      if (tieKey(rate(max[0]!)) === tieKey(rate(min[0]!))) {
        sentences.push(`In ${published.length === 2 ? "beiden" : `allen ${formatNumber(published.length)}`} Gebieten mit veröffentlichtem Wert liegt er bei ${formatPercent(rate(max[0]!))}.`);
      } else {
        const part = (list: typeof published): string => `${joinList(list.map((a) => a.name))} (${list.length > 1 ? "je " : ""}${formatPercent(rate(list[0]!))})`;
        sentences.push(`Am höchsten ist der Wert in ${part(max)}, am niedrigsten in ${part(min)}.`);
      }
    }
    if (secret.length) sentences.push(`Für ${count(secret.length, "Gebiet", "Gebiete")} ist der Wert wegen kleiner Zahlen geheim.`);
    if (withoutValue > 0) sentences.push(`Für ${count(withoutValue, "Gebiet", "Gebiete")} gibt es keinen Wert (keine Maßnahme dieser Zielgruppe mit erfasster Reichweite).`);
    figures[`${indicator.indicator_id}_areas_published`] = published.length;
    figures[`${indicator.indicator_id}_areas_withheld`] = secret.length;
    paragraphs.push(sentences.join(" "));
    for (const a of [{area_id: ctx.rootId, name: cityName}, ...ctx.areas]) {
      const r = a.area_id === ctx.rootId ? city : byArea.get(a.area_id);
      if (!r) continue;
      tableRows.push(
        r.suppressed
          ? {indicator_id: indicator.indicator_id, area_id: a.area_id, name: a.name, reach: null, target_population: null, rate: null, protection: WITHHELD_TEXT}
          : {indicator_id: indicator.indicator_id, area_id: a.area_id, name: a.name, reach: r.numerator, target_population: r.denominator, rate: r.rate, protection: ""}
      );
    }
  }
  if (!tableRows.length) paragraphs.push(`Für ${dataYear} liegen keine Reichweiten für diese Ebene vor.`);
  paragraphs.push(
    "Die Reichweite zählt die von bewilligten Maßnahmen erreichten Personen oder Familien; wer von mehreren Maßnahmen erreicht wird, zählt mehrfach. Stadtweite Maßnahmen werden nach der Größe der Zielgruppe auf die Gebiete verteilt."
  );
  return section("reach", title, {
    paragraphs,
    data_year: dataYear,
    figures,
    table: {columns, rows: tableRows},
    synthetic: await syntheticFor(ctx.conn, [{ids, year: dataYear}])
  });
}

// ---------------------------------------------------------------------------
// entry point

/**
 * The generated findings of the annual report for `year` on one area level (default: the
 * lowest). Deterministic: the same database gives the same text.
 */
export async function reportFindings(conn: DuckDBConnection, year: number, options: ReportOptions = {}): Promise<ReportFindings> {
  if (!Number.isInteger(year)) throw new RangeError(`Berichtsjahr: ganze Zahl erwartet, erhalten: ${String(year)}`);
  const [city] = await queryRows<{city_id: string; name: string; config_json: string; input_hash: string}>(conn, "SELECT city_id, name, config_json, input_hash FROM city");
  if (!city) throw new Error("Die Datenbank enthält keine Stadt.");
  const config = JSON.parse(city.config_json) as CityConfig;
  const levels = await queryRows<{level: string; level_rank: number; name: string}>(conn, "SELECT level, level_rank, name FROM area_levels ORDER BY level_rank");
  const below = levels.filter((l) => l.level_rank > 0);
  const chosen = options.level === undefined ? below[below.length - 1] : below.find((l) => l.level === options.level);
  if (!chosen) {
    throw new RangeError(`Unbekannte Gebietsebene „${options.level ?? ""}“ (vorhanden: ${below.map((l) => l.level).join(", ") || "keine"})`);
  }
  const allAreas = await queryRows<{area_id: string; name: string; level: string; level_rank: number}>(conn, "SELECT area_id, name, level, level_rank FROM areas");
  const root = allAreas.find((a) => a.level_rank === 0);
  if (!root) throw new Error("Die Datenbank enthält kein Gebiet für die ganze Stadt.");
  const areas = allAreas.filter((a) => a.level === chosen.level).map((a) => ({area_id: a.area_id, name: a.name})).sort(byName);
  const ctx: Context = {
    conn,
    year,
    level: chosen.level,
    levelName: chosen.name,
    rootId: root.area_id,
    config,
    areas,
    names: new Map(allAreas.map((a) => [a.area_id, a.name]))
  };
  const sections = [await needSection(ctx), await deviationSection(ctx), await trendSection(ctx), await kitaSection(ctx), await fundingSection(ctx), await reachSection(ctx)];
  return {
    stamp: {input_hash: city.input_hash, short_hash: city.input_hash.slice(0, 12), generated_for_year: year, city: city.name},
    city_id: city.city_id,
    year,
    level: {id: chosen.level, name: chosen.name},
    sections
  };
}

/** All paragraphs of the findings as plain text (headings, paragraphs, synthetic notes), e.g. for a quick look in the terminal. */
export function findingsText(findings: ReportFindings): string {
  const lines = [`Jahresbericht ${findings.year} – ${findings.stamp.city} (Ebene ${findings.level.name}, Datenstand ${findings.stamp.short_hash})`, ""];
  for (const s of findings.sections) {
    lines.push(capitalize(s.title), ...s.paragraphs);
    if (s.synthetic_note) lines.push(`Hinweis: ${s.synthetic_note}`);
    lines.push("");
  }
  return lines.join("\n");
}
