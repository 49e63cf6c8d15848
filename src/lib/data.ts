/**
 * Client-side shaping of the page data (already computed and protected at build
 * time): typed rows from the Arrow page files, indicator metadata, and the generated
 * sentences (titles that state the finding, one-sentence summaries).
 */
import {tableFromIPC, type Table} from "apache-arrow";
import {formatValue, formatYear} from "../components/format.js";
import type {AreaRow, IndicatorMeta, ValueRow} from "../components/types.js";

export interface CityIndicator extends IndicatorMeta {
  indicator_id: string;
  topic: string;
  life_phase: string;
  numerator_label: string;
  denominator_label: string;
  handlungsfeld: string;
  in_report: boolean;
  latest_year: number | null;
  first_year: number | null;
  synthetic: boolean;
}

export interface CityData {
  id: string;
  name: string;
  ags: string;
  input_hash: string;
  years: {first: number; last: number};
  latest_year: number;
  levels: {level: string; level_rank: number; name: string}[];
  kita_targets: {u3: number; ue3: number};
  small_numbers: {min_cases: number; min_denominator: number};
  need_index: {indicators: {id: string; weight: number; polarity?: number}[]; thresholds: number[]; dynamics_years: number};
  indicators: (Omit<CityIndicator, "id" | "target"> & {target: string | null})[];
  has_geometry: boolean;
  synthetic_sources: boolean;
}

/** What a page file of indicator values leaves implicit: its indicator and level (in the file name) and the area names (in the map or area list). */
export interface ValueFill {
  indicator_id?: string;
  level?: string;
  names?: ReadonlyMap<string, string>;
}

/**
 * Plain rows from an Arrow page file of indicator values (data/stadt.arrow,
 * data/werte/<level>/<indicator>/<year>.arrow or verlauf.arrow), read column by
 * column; fields the file does not carry are filled from `fill` or left empty.
 */
export function valueRows(table: Table, fill: ValueFill = {}): ValueRow[] {
  const columns = table.schema.fields.map((f) => [f.name, table.getChild(f.name)!] as const);
  const rows: ValueRow[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const r: Record<string, unknown> = {
      indicator_id: fill.indicator_id ?? null, level: fill.level ?? null, name: null, numerator: null, denominator: null, rate: null, ci_lo: null, ci_hi: null,
      city_rate: null, diff_city: null, signif: null, change_1y: null, change_ky: null, suppressed: null
    };
    for (const [name, vector] of columns) r[name] = vector.get(i);
    if (r.signif !== null) r.signif = Number(r.signif);
    if (r.signif998 !== null && r.signif998 !== undefined) r.signif998 = Number(r.signif998);
    r.synthetic = r.synthetic === true;
    if (r.name === null) r.name = fill.names?.get(r.area_id as string) ?? r.area_id;
    rows[i] = r as unknown as ValueRow;
  }
  return rows;
}

/** Indicator rows as the profile and report files carry them (JSON), with their level and area name. */
export function valueRowsFromJson(rows: readonly Record<string, unknown>[], fill: {level: string; name: string}): ValueRow[] {
  return rows.map((r) => ({change_ky: null, ...r, level: fill.level, name: (r.name as string | undefined) ?? fill.name, synthetic: r.synthetic === true}) as unknown as ValueRow);
}

/** Catalogue entries as the components' IndicatorMeta, with the Kita targets resolved. */
export function indicatorMetas(city: CityData): CityIndicator[] {
  return city.indicators.map((i) => {
    const target = i.target === "u3" ? city.kita_targets.u3 : i.target === "ue3" ? city.kita_targets.ue3 : undefined;
    return {...i, id: i.indicator_id, polarity: Number(i.polarity) as 1 | -1 | 0, ...(target === undefined ? {} : {target})} as CityIndicator;
  });
}

export function levelName(city: CityData, level: string): string {
  return city.levels.find((l) => l.level === level)?.name ?? level;
}

/** "Quelle: Schuleingangsuntersuchung …; Chancenatlas-Berechnung, 2024" */
export function sourceLine(meta: IndicatorMeta, year: number | string, synthetic: boolean): string {
  return `Quelle: ${meta.source}${synthetic ? " (Beispieldaten)" : ""}; Berechnung Chancenatlas. Stand ${year}.`;
}

const collator = new Intl.Collator("de-DE");

/** Values of the non-suppressed areas of one level, highest first. */
function ranked(rows: readonly ValueRow[]): ValueRow[] {
  return rows.filter((r) => r.rate !== null).sort((a, b) => (b.rate as number) - (a.rate as number) || collator.compare(a.name, b.name));
}

/** Names joined as German prose: "A", "A und B", "A, B und C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} und ${names.at(-1)}`;
}

/**
 * A title that states the finding for a level in one year, e.g.
 * "Wattenscheid hat mit 31,2 % den höchsten Wert – 3 Gebiete liegen deutlich über dem Stadtwert".
 */
export function rankingFinding(rows: readonly ValueRow[], meta: IndicatorMeta): string {
  const list = ranked(rows);
  const top = list[0];
  if (!top) return `${meta.title}: keine veröffentlichbaren Werte`;
  const above = list.filter((r) => r.signif === 1).length;
  const below = list.filter((r) => r.signif === -1).length;
  const tied = list.filter((r) => r.rate === top.rate).map((r) => r.name);
  const head = tied.length > 1 ? `${joinNames(tied)} haben mit ${formatValue(top.rate, meta)} die höchsten Werte` : `${top.name} hat mit ${formatValue(top.rate, meta)} den höchsten Wert`;
  if (meta.kind !== "proportion") return head;
  const parts: string[] = [];
  if (above) parts.push(`${above} ${above === 1 ? "Gebiet liegt" : "Gebiete liegen"} deutlich darüber`);
  if (below) parts.push(`${below} deutlich darunter`);
  return parts.length ? `${head} – gemessen am Stadtwert ${parts.length === 2 ? `${parts[0]}, ${parts[1]}` : parts[0]}` : `${head}; kein Gebiet weicht deutlich vom Stadtwert ab`;
}

/** One-sentence summary of a ranking for screen readers and the caption. */
export function rankingSummary(rows: readonly ValueRow[], meta: IndicatorMeta, year: number, levelLabel: string): string {
  const list = ranked(rows);
  const suppressed = rows.filter((r) => r.suppressed).length;
  const city = rows.find((r) => r.city_rate !== null)?.city_rate ?? null;
  if (!list.length) return `${meta.title} ${formatYear(year)}: für keine Ebene „${levelLabel}“ liegen veröffentlichbare Werte vor.`;
  const top = list[0]!;
  const bottom = list.at(-1)!;
  const suppressedText = suppressed ? ` ${suppressed} ${suppressed === 1 ? "Wert ist" : "Werte sind"} wegen kleiner Fallzahlen geheim.` : "";
  return `${meta.title} ${formatYear(year)} nach ${levelLabel}: Stadtwert ${formatValue(city, meta)}, höchster Wert ${top.name} (${formatValue(top.rate, meta)}), niedrigster Wert ${bottom.name} (${formatValue(bottom.rate, meta)}).${suppressedText}`;
}

/** Rows of one indicator, year and level. */
export function slice(rows: readonly ValueRow[], indicator: string, year: number, level: string): ValueRow[] {
  return rows.filter((r) => r.indicator_id === indicator && r.year === year && r.level === level);
}

/** Table columns used by the data-table alternative and the CSV download of an indicator slice. */
export function valueTableColumns(meta: IndicatorMeta) {
  const type = meta.unit === "€" ? ("euro" as const) : ("percent" as const);
  return [
    {key: "name", label: "Gebiet", type: "text" as const},
    {key: "rate", label: meta.short_title, type},
    {key: "ci_lo", label: "95-%-Intervall unten", type},
    {key: "ci_hi", label: "95-%-Intervall oben", type},
    {key: "city_rate", label: "Stadtwert", type},
    {key: "numerator", label: "Zähler", type: "number" as const},
    {key: "denominator", label: "Nenner", type: "number" as const},
    {key: "status", label: "Hinweis", type: "text" as const}
  ];
}

/** Rows for the data table: suppressed cells say so instead of showing numbers. */
export function tableRows(rows: readonly ValueRow[], _meta?: IndicatorMeta) {
  return rows.map((r) => ({
    ...r,
    status: r.suppressed ? "geheim (kleine Fallzahl)" : r.rate === null ? "keine Daten" : r.signif === 1 ? "deutlich über Stadtwert" : r.signif === -1 ? "deutlich unter Stadtwert" : ""
  }));
}

export function areasOfLevel(areas: readonly AreaRow[], level: string): AreaRow[] {
  return areas.filter((a) => a.level === level);
}

/** Loads a page file once and keeps the promise (switching back to an indicator or level does not fetch again). */
export function cached<T>(load: (() => Promise<T>) | undefined, cache: Map<unknown, Promise<T>>): Promise<T> | null {
  if (!load) return null;
  let promise = cache.get(load);
  if (!promise) {
    promise = load();
    cache.set(load, promise);
  }
  return promise;
}

/** The highest and lowest areas of a year, for charts that cannot show every area of a large level. */
export interface HighLow {
  /** the rows to show: the `count` highest values, then the `count` lowest (highest first) */
  rows: ValueRow[];
  /** all areas of the level */
  total: number;
  /** true when some areas are left out */
  capped: boolean;
}

/**
 * All rows when a level has at most 2 × count + `slack` areas, otherwise the `count` areas with
 * the highest and the `count` with the lowest published value (suppressed and missing areas are
 * then left out; the table shows them).
 */
export function highLow(rows: readonly ValueRow[], count: number, slack = 6): HighLow {
  if (rows.length <= 2 * count + slack) return {rows: [...rows], total: rows.length, capped: false};
  const list = ranked(rows);
  const shown = list.length <= 2 * count ? list : [...list.slice(0, count), ...list.slice(-count)];
  return {rows: shown, total: rows.length, capped: true};
}

/** "die 12 höchsten und die 12 niedrigsten Werte 2024 (24 von 2.000 Gebieten)" */
export function highLowText(selection: HighLow, count: number, year: number): string {
  const shown = selection.rows.length;
  return `die ${count} höchsten und die ${count} niedrigsten Werte ${formatYear(year)} (${shown.toLocaleString("de-DE")} von ${selection.total.toLocaleString("de-DE")} Gebieten)`;
}

/** The files of one level and indicator as the generated modules (werte.js, kita.js) list them. */
export interface ValueFiles {
  /** years with values */
  jahre: number[];
  /** all years in one file (levels with few areas) */
  alle?: () => Promise<ArrayBuffer>;
  /** one file per year, and the series of all years (large levels) */
  years?: Record<string, () => Promise<ArrayBuffer>>;
  verlauf?: () => Promise<ArrayBuffer>;
}

function parsedRows(load: () => Promise<ArrayBuffer>, fill: ValueFill, cache: Map<unknown, Promise<unknown>>): Promise<ValueRow[]> {
  let promise = cache.get(load) as Promise<ValueRow[]> | undefined;
  if (!promise) {
    promise = load().then((bytes) => valueRows(tableFromIPC(bytes), fill));
    cache.set(load, promise);
  }
  return promise;
}

/** The rows of one year of a level and indicator (each file is loaded and read once per page). */
export async function yearValues(files: ValueFiles | undefined, year: number, fill: ValueFill, cache: Map<unknown, Promise<unknown>>): Promise<ValueRow[]> {
  if (!files) return [];
  if (files.alle) return (await parsedRows(files.alle, fill, cache)).filter((r) => r.year === year);
  const load = files.years?.[String(year)];
  return load ? parsedRows(load, fill, cache) : [];
}

/** The rows of all years of a level and indicator (for a large level: year, area, value and flags only). */
export async function seriesValues(files: ValueFiles | undefined, fill: ValueFill, cache: Map<unknown, Promise<unknown>>): Promise<ValueRow[]> {
  if (!files) return [];
  const load = files.alle ?? files.verlauf;
  return load ? parsedRows(load, fill, cache) : [];
}

/** Plain objects from the bytes of an Arrow page file (e.g. the Kitas of a year), read column by column. */
export function arrowRows(bytes: ArrayBuffer | Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(bytes);
  const columns = table.schema.fields.map((f) => [f.name, table.getChild(f.name)!] as const);
  const rows: Record<string, unknown>[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const [name, vector] of columns) row[name] = vector.get(i);
    rows[i] = row;
  }
  return rows;
}
