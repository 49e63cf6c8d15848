/**
 * Reach (Reichweite) against the target population (Zielgruppe) and against need.
 *
 *   ratio(m, a) = reach(m, a) / target_population(m, a)                     one measure, one area
 *   ratio(m)    = Σ_a reach(m, a) / Σ_a target_population(m, a)              one measure, all its rows
 *   ratio(a)    = Σ_m reach(m, a) / Σ_m target_population(m, a)              one area, all measures
 *
 * ratio(a) is the target-population-weighted mean of the measures' reach ratios: an average
 * coverage, not the share of children reached by at least one measure (a child reached by two
 * measures counts twice; person-level data would be needed for "at least one").
 * Rows with unknown reach (null) are left out of numerator AND denominator.
 * Documented in docs/methods.md (section 11).
 */
import {assertNonNegative, compareAreaIds, formatNumber, formatPercent} from "./common.ts";

export type MeasureId = string | number;

export interface ReachRow {
  measure_id: MeasureId;
  area_id: string;
  /** Persons or families reached; null = unknown. */
  reach: number | null;
  target_population: number;
  /** false: the measure does not serve this area (reach 0 by definition). Optional. */
  served?: boolean;
}

export interface ReachRatio extends ReachRow {
  /** reach ÷ target population; null when reach is unknown or the target population is 0. */
  ratio: number | null;
}

export interface ReachTotal {
  reach: number;
  target_population: number;
  ratio: number | null;
}

export interface MeasureReach extends ReachTotal {
  measure_id: MeasureId;
  /** Rows (areas) with known reach. */
  areas: number;
  /**
   * true when every served area with children has the same ratio (≥ 2 such areas): the reach
   * was known only for the whole measure and spread over the areas by target population,
   * so the areas cannot be compared with each other.
   */
  uniform_by_construction: boolean;
}

export interface AreaReach extends ReachTotal {
  area_id: string;
  /** Measures with known reach in this area. */
  measures: number;
}

function ratio(reach: number, population: number): number | null {
  return population > 0 ? reach / population : null;
}

function checkRow(r: ReachRow): void {
  if (r.reach !== null) assertNonNegative(r.reach, `Reichweite von Maßnahme ${r.measure_id} in Gebiet „${r.area_id}“`);
  assertNonNegative(r.target_population, `Zielgruppe von Maßnahme ${r.measure_id} in Gebiet „${r.area_id}“`);
}

/** Ratio per measure and area. */
export function reachRatios(rows: readonly ReachRow[]): ReachRatio[] {
  return rows.map((r) => {
    checkRow(r);
    return {...r, ratio: r.reach === null ? null : ratio(r.reach, r.target_population)};
  });
}

const UNIFORM_TOLERANCE = 1e-9;

/** Ratio per measure (over all its areas), ordered by measure id. */
export function reachByMeasure(rows: readonly ReachRow[]): MeasureReach[] {
  const byMeasure = new Map<MeasureId, ReachRow[]>();
  for (const r of rows) {
    checkRow(r);
    if (r.reach === null) continue;
    const list = byMeasure.get(r.measure_id) ?? [];
    list.push(r);
    byMeasure.set(r.measure_id, list);
  }
  return [...byMeasure.entries()]
    .sort(([a], [b]) => compareAreaIds(String(a), String(b)))
    .map(([measureId, list]) => {
      const reach = list.reduce((s, r) => s + r.reach!, 0);
      const population = list.reduce((s, r) => s + r.target_population, 0);
      const ratios = list.filter((r) => r.served !== false && r.target_population > 0).map((r) => r.reach! / r.target_population);
      const uniform = ratios.length >= 2 && ratios.every((q) => Math.abs(q - ratios[0]!) <= UNIFORM_TOLERANCE * Math.max(1, Math.abs(ratios[0]!)));
      return {measure_id: measureId, reach, target_population: population, ratio: ratio(reach, population), areas: list.length, uniform_by_construction: uniform};
    });
}

/** Ratio per area (over all measures with known reach), ordered by area id. */
export function reachByArea(rows: readonly ReachRow[]): AreaReach[] {
  const byArea = new Map<string, {reach: number; population: number; measures: Set<MeasureId>}>();
  for (const r of rows) {
    checkRow(r);
    if (r.reach === null) continue;
    const a = byArea.get(r.area_id) ?? {reach: 0, population: 0, measures: new Set<MeasureId>()};
    a.reach += r.reach;
    a.population += r.target_population;
    a.measures.add(r.measure_id);
    byArea.set(r.area_id, a);
  }
  return [...byArea.entries()]
    .sort(([a], [b]) => compareAreaIds(a, b))
    .map(([areaId, a]) => ({area_id: areaId, reach: a.reach, target_population: a.population, ratio: ratio(a.reach, a.population), measures: a.measures.size}));
}

// ---------------------------------------------------------------------------
// reach against need

export interface AreaNeed {
  area_id: string;
  need_z: number | null;
  need_class: number | null;
}

export interface ClassReach extends ReachTotal {
  need_class: number;
  areas: number;
}

export interface ReachAgainstNeed {
  /** Classes 1–4, always all four (ratio null when a class has no children). */
  by_class: ClassReach[];
  /** Classes 3–4 (high need) and 1–2 (lower need) pooled: Σ reach / Σ target population. */
  high: ReachTotal & {areas: number};
  low: ReachTotal & {areas: number};
  /** high.ratio ÷ low.ratio (> 1: high-need areas reached better); null if undefined. */
  ratio_high_to_low: number | null;
  /** (high.ratio − low.ratio) × 100, in percentage points. */
  difference_pp: number | null;
  /** Spearman rank correlation between need_z and the area reach ratio (average ranks for ties); null for n < 3 or no variation. */
  spearman: number | null;
  /** Areas that entered the correlation. */
  n: number;
  /** Areas without need class/need z or without reach (ids). */
  excluded: string[];
  sentence: string;
}

/** Average ranks (1 = smallest), ties get the mean of their positions. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({v, i})).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let k = 0;
  while (k < order.length) {
    let j = k;
    while (j + 1 < order.length && order[j + 1]!.v === order[k]!.v) j++;
    const rank = (k + j + 2) / 2;
    for (let t = k; t <= j; t++) ranks[order[t]!.i] = rank;
    k = j + 1;
  }
  return ranks;
}

/** Spearman's ρ as the Pearson correlation of average ranks; null for n < 3 or zero variance. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError("Spearman: unterschiedlich viele Werte");
  const n = x.length;
  if (n < 3) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function pool(list: readonly {reach: number; target_population: number}[]): ReachTotal & {areas: number} {
  const reach = list.reduce((s, r) => s + r.reach, 0);
  const population = list.reduce((s, r) => s + r.target_population, 0);
  return {reach, target_population: population, ratio: ratio(reach, population), areas: list.length};
}

/**
 * Compares reach between need classes. `areaReach` is one row per area (e.g. from
 * reachByArea, or the rows of one measure). Class 3–4 = high need, 1–2 = lower need.
 */
export function reachAgainstNeed(areaReach: readonly {area_id: string; reach: number; target_population: number}[], need: readonly AreaNeed[]): ReachAgainstNeed {
  const needById = new Map(need.map((n) => [n.area_id, n]));
  const excluded: string[] = [];
  const joined: {area_id: string; reach: number; target_population: number; need_class: number | null; need_z: number | null}[] = [];
  for (const r of areaReach) {
    assertNonNegative(r.reach, `Reichweite in Gebiet „${r.area_id}“`);
    assertNonNegative(r.target_population, `Zielgruppe in Gebiet „${r.area_id}“`);
    const n = needById.get(r.area_id);
    const cls = n?.need_class ?? null;
    const z = n?.need_z ?? null;
    if (cls === null && (z === null || !Number.isFinite(z))) {
      excluded.push(r.area_id);
      continue;
    }
    joined.push({...r, need_class: cls, need_z: z !== null && Number.isFinite(z) ? z : null});
  }
  const byClass: ClassReach[] = [1, 2, 3, 4].map((c) => {
    const p = pool(joined.filter((j) => j.need_class === c));
    return {need_class: c, ...p};
  });
  const high = pool(joined.filter((j) => j.need_class === 3 || j.need_class === 4));
  const low = pool(joined.filter((j) => j.need_class === 1 || j.need_class === 2));
  const ratioHighToLow = high.ratio !== null && low.ratio !== null && low.ratio > 0 ? high.ratio / low.ratio : null;
  const differencePp = high.ratio !== null && low.ratio !== null ? (high.ratio - low.ratio) * 100 : null;
  const pairs = joined.filter((j) => j.need_z !== null && j.target_population > 0);
  const rho = spearman(pairs.map((p) => p.need_z!), pairs.map((p) => p.reach / p.target_population));
  return {
    by_class: byClass,
    high,
    low,
    ratio_high_to_low: ratioHighToLow,
    difference_pp: differencePp,
    spearman: rho,
    n: pairs.length,
    excluded: excluded.sort(compareAreaIds),
    sentence: reachSentence(high.ratio, low.ratio, rho, pairs.length)
  };
}

function reachSentence(high: number | null, low: number | null, rho: number | null, n: number): string {
  const parts: string[] = [];
  if (high !== null && low !== null) {
    const comparison = high > low ? "besser" : high < low ? "schlechter" : "gleich gut";
    parts.push(`In Gebieten mit hohem Bedarf (Klassen 3–4) entspricht die Reichweite ${formatPercent(high)} der Zielgruppe, in Gebieten mit geringerem Bedarf (Klassen 1–2) ${formatPercent(low)}: Gebiete mit hohem Bedarf werden ${comparison} erreicht.`);
  } else {
    parts.push("Ein Vergleich der Bedarfsklassen 3–4 mit 1–2 ist nicht möglich, weil eine der beiden Gruppen keine Kinder der Zielgruppe oder keine Reichweitenangabe hat.");
  }
  if (rho !== null) parts.push(`Rangkorrelation (Spearman) zwischen Bedarfsindex und Reichweite: ${formatNumber(rho, 2, 2)} (${n} Gebiete).`);
  else parts.push(`Eine Rangkorrelation ist nicht berechenbar (${n} Gebiete mit Angaben, mindestens 3 mit unterschiedlichen Werten nötig).`);
  return parts.join(" ");
}

/**
 * German note on how far reach can be compared between areas: measures whose reach was only
 * known city-wide (uniform_by_construction) carry no information about differences between
 * areas – a correlation with need then only reflects the mix of measures and target groups.
 * null when no measure is affected.
 */
export function reachDataNote(byMeasure: readonly MeasureReach[]): string | null {
  const uniform = byMeasure.filter((m) => m.uniform_by_construction).length;
  if (uniform === 0) return null;
  const all = uniform === byMeasure.length;
  return (
    `${all ? "Bei allen" : `Bei ${uniform} von ${byMeasure.length}`} Maßnahmen mit Reichweitenangabe ist die Reichweite nur für die ganze Maßnahme bekannt ` +
    "und wurde nach der Zahl der Kinder der Zielgruppe auf die Gebiete verteilt. Für diese Maßnahmen ist die Reichweite in allen Gebieten gleich hoch; " +
    (all
      ? "Unterschiede zwischen den Gebieten und die Rangkorrelation mit dem Bedarf entstehen nur aus der Mischung der Maßnahmen und sind nicht als Unterschied in der Erreichung zu lesen."
      : "Unterschiede zwischen den Gebieten gehen nur auf die übrigen Maßnahmen und die Mischung der Maßnahmen zurück.")
  );
}
