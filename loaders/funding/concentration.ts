/**
 * Concentration curve and concentration index of funding against need
 * ("Mittel nach Bedarf", Konzentrationskurve / Konzentrationsindex).
 *
 * Areas are ranked from the MOST to the LEAST need (need = status_z of the need index,
 * higher = more need). Areas with exactly the same need value form one group (one curve
 * segment), so the result does not depend on the order of tied areas. The curve runs through
 *
 *   (X_0, Y_0) = (0, 0),  (X_k, Y_k) = (Σ_{j≤k} P_j / P,  Σ_{j≤k} A_j / A),  k = 1 … K
 *
 * with P_j, A_j the target population and the funding of group j and P, A their totals.
 * The concentration index is twice the signed area between the curve and the diagonal:
 *
 *   C = 2 · ∫₀¹ (L(x) − x) dx = 2 · ∫₀¹ L(x) dx − 1
 *     = Σ_k (X_k − X_{k−1}) · (Y_{k−1} + Y_k) − 1          (trapezoid rule, exact for the polygon)
 *
 * Ranked the usual way (least need first, curve L*) this is the textbook C = 1 − 2·∫ L*,
 * because L*(x) = 1 − L(1 − x). C > 0: funding concentrated where need is highest (curve above
 * the diagonal); C = 0: the same € per child everywhere; C < 0: concentrated where need is lowest.
 * −1 ≤ C ≤ 1. Documented in docs/methods.md (section 11).
 */
import {assertNonNegative, assertUniqueIds, compareAreaIds, formatNumber} from "./common.ts";

export interface ConcentrationRow {
  area_id: string;
  /** Need (status_z): higher = more need. null/NaN: the area has no need index and is left out. */
  need: number | null;
  /** Children of the target group (≥ 0). */
  population: number;
  /** Funding in € (≥ 0). */
  amount: number;
}

export interface CurvePoint {
  /** Cumulative share of the target population (0 … 1). */
  x: number;
  /** Cumulative share of the funding (0 … 1). */
  y: number;
  /** Areas of this group (tied need), in area-id order; empty for the origin. */
  area_ids: string[];
  /** Need of the group; null for the origin. */
  need: number | null;
  /** Population and funding of the group itself (not cumulative). */
  population: number;
  amount: number;
  /** € per child of the group; null when the group has no children. */
  amount_per_child: number | null;
}

export interface ExcludedArea {
  area_id: string;
  amount: number;
  reason: string;
}

export interface ConcentrationResult {
  /** Curve from (0,0) to (1,1); empty when the index is undefined (no children or no money). */
  points: CurvePoint[];
  /** Concentration index −1 … 1; null when total funding or total population is 0. */
  index: number | null;
  total_population: number;
  total_amount: number;
  /** Number of areas on the curve. */
  areas: number;
  /** Areas left out (no need index), with the money they received. */
  excluded: ExcludedArea[];
  /** German reading of the result. */
  interpretation: string;
}

/** Twice the signed area between a curve through (0,0) … (1,1) and the diagonal (trapezoid rule). */
export function concentrationIndex(points: readonly {x: number; y: number}[]): number {
  let integral = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!;
    const b = points[k]!;
    integral += (b.x - a.x) * (a.y + b.y);
  }
  // integral = 2·∫L; clamp floating-point dust so that the documented range holds exactly
  return Math.min(1, Math.max(-1, integral - 1));
}

/** Below this absolute value the index is read as "about the same € per child". A reading aid, not a test. */
export const NEUTRAL_BAND = 0.05;

/** German sentence describing an index value. */
export function describeConcentration(index: number | null): string {
  if (index === null) return "Kein Konzentrationsindex: Es gibt keine Fördermittel oder keine Kinder der Zielgruppe in den Gebieten mit Bedarfsindex.";
  const c = `C = ${formatNumber(index, 2, 2)}`;
  if (index >= NEUTRAL_BAND) return `Die Mittel sind auf die Gebiete mit hohem Bedarf konzentriert (${c}): Je Kind erhalten Gebiete mit mehr Bedarf mehr Geld.`;
  if (index <= -NEUTRAL_BAND) return `Die Mittel sind auf die Gebiete mit geringem Bedarf konzentriert (${c}): Je Kind erhalten Gebiete mit weniger Bedarf mehr Geld.`;
  return `Die Mittel sind je Kind etwa gleich verteilt, unabhängig vom Bedarf (${c}).`;
}

function validNeed(need: number | null): need is number {
  return typeof need === "number" && Number.isFinite(need);
}

/** Concentration curve and index for one set of areas (one year, one programme or all). */
export function concentrationCurve(rows: readonly ConcentrationRow[]): ConcentrationResult {
  assertUniqueIds(rows.map((r) => r.area_id), "Konzentrationskurve");
  for (const r of rows) {
    assertNonNegative(r.population, `Kinder der Zielgruppe in Gebiet „${r.area_id}“`);
    assertNonNegative(r.amount, `Fördersumme in Gebiet „${r.area_id}“`);
  }
  const excluded: ExcludedArea[] = rows
    .filter((r) => !validNeed(r.need))
    .map((r) => ({area_id: r.area_id, amount: r.amount, reason: "kein Bedarfsindex"}))
    .sort((a, b) => compareAreaIds(a.area_id, b.area_id));
  const included = rows.filter((r) => validNeed(r.need)) as (ConcentrationRow & {need: number})[];
  // most need first; ties form one group
  const sorted = [...included].sort((a, b) => b.need - a.need || compareAreaIds(a.area_id, b.area_id));
  const groups: {need: number; area_ids: string[]; population: number; amount: number}[] = [];
  for (const r of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.need === r.need) {
      last.area_ids.push(r.area_id);
      last.population += r.population;
      last.amount += r.amount;
    } else {
      groups.push({need: r.need, area_ids: [r.area_id], population: r.population, amount: r.amount});
    }
  }
  const totalPopulation = included.reduce((s, r) => s + r.population, 0);
  const totalAmount = included.reduce((s, r) => s + r.amount, 0);
  if (totalPopulation <= 0 || totalAmount <= 0) {
    return {points: [], index: null, total_population: totalPopulation, total_amount: totalAmount, areas: included.length, excluded, interpretation: describeConcentration(null)};
  }
  const points: CurvePoint[] = [{x: 0, y: 0, area_ids: [], need: null, population: 0, amount: 0, amount_per_child: null}];
  let cumPopulation = 0;
  let cumAmount = 0;
  groups.forEach((g, i) => {
    cumPopulation += g.population;
    cumAmount += g.amount;
    const last = i === groups.length - 1;
    points.push({
      // the last point is exactly (1, 1), without floating-point dust
      x: last ? 1 : cumPopulation / totalPopulation,
      y: last ? 1 : cumAmount / totalAmount,
      area_ids: g.area_ids,
      need: g.need,
      population: g.population,
      amount: g.amount,
      amount_per_child: g.population > 0 ? g.amount / g.population : null
    });
  });
  const index = concentrationIndex(points);
  return {points, index, total_population: totalPopulation, total_amount: totalAmount, areas: included.length, excluded, interpretation: describeConcentration(index)};
}

// ---------------------------------------------------------------------------
// per year and programme

export interface NeedAreaRow {
  year: number;
  area_id: string;
  need: number | null;
  /** Children of the reference group in the area (e.g. children 0–18). */
  population: number;
}

export interface FundingRow {
  year: number;
  programme: string;
  area_id: string;
  amount: number;
}

export interface ConcentrationGroup {
  year: number;
  /** null = all programmes together. */
  programme: string | null;
  result: ConcentrationResult;
}

/**
 * One concentration result per year and programme, plus one per year for all programmes
 * together (programme null, listed first). Every area of the year's `areas` rows is on the
 * curve, with 0 € when it got nothing – leaving unfunded areas out would hide exactly the
 * areas that matter. Funding rows of several measures of the same area are summed. Funding
 * for an area without an `areas` row of that year is reported in `excluded`.
 */
export function concentrationByYearAndProgramme(areas: readonly NeedAreaRow[], funding: readonly FundingRow[]): ConcentrationGroup[] {
  const areasByYear = new Map<number, Map<string, NeedAreaRow>>();
  for (const a of areas) {
    let m = areasByYear.get(a.year);
    if (!m) areasByYear.set(a.year, (m = new Map()));
    if (m.has(a.area_id)) throw new RangeError(`Bedarf und Kinder: Gebiet „${a.area_id}“ kommt im Jahr ${a.year} mehrfach vor`);
    m.set(a.area_id, a);
  }
  const years = [...new Set(funding.map((f) => f.year))].sort((a, b) => a - b);
  const out: ConcentrationGroup[] = [];
  for (const year of years) {
    const yearFunding = funding.filter((f) => f.year === year);
    const programmes = [...new Set(yearFunding.map((f) => f.programme))].sort();
    const yearAreas = areasByYear.get(year) ?? new Map<string, NeedAreaRow>();
    const build = (selected: readonly FundingRow[]): ConcentrationRow[] => {
      const amounts = new Map<string, number>();
      for (const f of selected) {
        assertNonNegative(f.amount, `Fördersumme in Gebiet „${f.area_id}“`);
        amounts.set(f.area_id, (amounts.get(f.area_id) ?? 0) + f.amount);
      }
      const rows: ConcentrationRow[] = [...yearAreas.values()].map((a) => ({area_id: a.area_id, need: a.need, population: a.population, amount: amounts.get(a.area_id) ?? 0}));
      for (const [areaId, amount] of amounts) {
        if (!yearAreas.has(areaId)) rows.push({area_id: areaId, need: null, population: 0, amount});
      }
      return rows;
    };
    out.push({year, programme: null, result: concentrationCurve(build(yearFunding))});
    for (const programme of programmes) {
      out.push({year, programme, result: concentrationCurve(build(yearFunding.filter((f) => f.programme === programme)))});
    }
  }
  return out;
}
