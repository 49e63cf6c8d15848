/**
 * Client-side shaping of the page data (already computed and protected at build
 * time): typed rows from the Arrow file, indicator metadata, and the generated
 * sentences (titles that state the finding, one-sentence summaries).
 */
import type {Table} from "apache-arrow";
import {formatPp, formatValue, formatYear} from "../components/format.js";
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

/** Plain objects from the Arrow IPC file of indicator values. */
export function valueRows(table: Table): ValueRow[] {
  return table.toArray().map((row) => {
    const r = row.toJSON() as Record<string, unknown>;
    return {...r, signif: r.signif === null ? null : (Number(r.signif) as -1 | 0 | 1), synthetic: r.synthetic === true} as unknown as ValueRow;
  });
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
export function tableRows(rows: readonly ValueRow[], meta: IndicatorMeta) {
  return rows.map((r) => ({
    ...r,
    status: r.suppressed ? "geheim (kleine Fallzahl)" : r.rate === null ? "keine Daten" : r.signif === 1 ? "deutlich über Stadtwert" : r.signif === -1 ? "deutlich unter Stadtwert" : "",
    diff_text: formatPp(r.diff_city, meta)
  }));
}

export function areasOfLevel(areas: readonly AreaRow[], level: string): AreaRow[] {
  return areas.filter((a) => a.level === level);
}
