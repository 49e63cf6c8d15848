/**
 * Comparisons of small areas with a benchmark, false-discovery-rate control and funnel-plot
 * control limits for proportions – the statistical core of issue 13 ("Signal, not noise"),
 * following the practice of England's Fingertips (OHID/UKHSA) indicator profiles.
 *
 * Pure functions, no DuckDB. Levels and rates are proportions 0..1; differences are
 * differences of proportions (not percentage points). See docs/methods.md, section
 * "Comparisons, funnel limits and recent trend (issue 13 core)", for the formulas.
 *
 * References:
 *  - Newcombe RG (1998). Interval estimation for the difference between independent proportions:
 *    comparison of eleven methods. Statistics in Medicine 17, 873–890 (method 10).
 *  - Wilson EB (1927); Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial
 *    proportion. Statistical Science 16, 101–133.
 *  - Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate. JRSS B 57, 289–300.
 *  - Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance.
 *    Statistics in Medicine 24, 1185–1202.
 *  - Fingertips technical guidance (PHE/OHID), funnel plots for proportions, as implemented in
 *    the PHEindicatormethods R package (`sigma_adjustment`, R/Funnels.R).
 */
import {WILSON_Z, wilsonInterval, type Interval} from "./rates.ts";

/** Confidence levels used by Fingertips: 95 % and 99.8 % (two-sided). */
export type ConfidenceLevel = 95 | 99.8;

/** The 99.9 % quantile of the standard normal distribution (two-sided 99.8 % interval). */
export const Z_998 = 3.090232306167813;

/** z for a two-sided interval at the given level. */
export function zForLevel(level: ConfidenceLevel): number {
  return level === 95 ? WILSON_Z : Z_998;
}

/** α = 1 − level: 0.05 for 95 %, 0.002 for 99.8 %. */
export function alphaForLevel(level: ConfidenceLevel): number {
  return level === 95 ? 0.05 : 0.002;
}

// ---------------------------------------------------------------------------
// Normal distribution

/**
 * Complementary error function erfc(x) for x ≥ 0, by the continued fraction (x > 2) or the
 * Taylor series of erf (x ≤ 2); relative error below 1e-14 over the range used here.
 */
function erfcNonNegative(x: number): number {
  if (x <= 2) {
    // erf(x) = 2/√π · Σ (−1)^k x^(2k+1) / (k! (2k+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 1; k < 200; k++) {
      term *= -x2 / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + …))))) (Lentz's algorithm)
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let i = 1; i < 500; i++) {
    const a = i / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Upper tail of the standard normal distribution, P(Z > z). */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const upper = 0.5 * erfcNonNegative(x);
  return z >= 0 ? upper : 1 - upper;
}

/** Two-sided p-value of a standard normal statistic: 2 · P(Z > |z|). */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

// ---------------------------------------------------------------------------
// Newcombe's hybrid score interval (method 10)

export interface DifferenceInterval {
  /** p1 − p2 */
  diff: number;
  lo: number;
  hi: number;
}

function validCounts(k: number, n: number): boolean {
  return Number.isFinite(k) && Number.isFinite(n) && n > 0 && k >= 0 && k <= n;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for p1 − p2 = k1/n1 − k2/n2 of two
 * independent proportions, built on the Wilson intervals [l1, u1] and [l2, u2] at the same z:
 *   D  = p1 − p2
 *   lo = D − √( (p1 − l1)² + (u2 − p2)² )
 *   hi = D + √( (u1 − p1)² + (p2 − l2)² )
 * Null unless n1, n2 > 0 and 0 ≤ k ≤ n for both.
 */
export function newcombeInterval(k1: number, n1: number, k2: number, n2: number, z: number = WILSON_Z): DifferenceInterval | null {
  if (!validCounts(k1, n1) || !validCounts(k2, n2)) return null;
  const w1 = wilsonInterval(k1, n1, z)!;
  const w2 = wilsonInterval(k2, n2, z)!;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const diff = p1 - p2;
  return {
    diff,
    lo: diff - Math.sqrt((p1 - w1.lo) ** 2 + (w2.hi - p2) ** 2),
    hi: diff + Math.sqrt((w1.hi - p1) ** 2 + (p2 - w2.lo) ** 2)
  };
}

/**
 * Two-sided p-value for H0: p1 = p2 that is consistent with Newcombe's interval: the smallest
 * α for which the (1 − α) interval excludes 0. Both bounds move monotonically outwards as z
 * grows (the Wilson intervals are nested in z), so z* with bound(z*) = 0 is found by
 * bisection and p = 2 · (1 − Φ(z*)). Hence, at every level, "p < α" and "the interval
 * excludes 0" give the same decision. D = 0 gives p = 1; when the bound cannot reach 0
 * (p1 = 1 and p2 = 0, or the reverse) p = 0.
 */
export function newcombePValue(k1: number, n1: number, k2: number, n2: number): number | null {
  if (!validCounts(k1, n1) || !validCounts(k2, n2)) return null;
  const diff = k1 / n1 - k2 / n2;
  if (diff === 0) return 1;
  const bound = (z: number): number => {
    const ci = newcombeInterval(k1, n1, k2, n2, z)!;
    return diff > 0 ? ci.lo : -ci.hi;
  };
  // bound(0) = |D| > 0, decreasing in z
  let lo = 0;
  let hi = 1;
  while (bound(hi) > 0) {
    hi *= 2;
    if (hi > 64) return 0;
  }
  for (let i = 0; i < 100 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (bound(mid) > 0) lo = mid;
    else hi = mid;
  }
  return twoSidedP((lo + hi) / 2);
}

/**
 * Score-test p-value for H0: p = p0 of k out of n (the test the Wilson interval inverts):
 *   z = (k/n − p0) / √( p0 (1 − p0) / n ),  p = 2 · (1 − Φ(|z|)).
 * The Wilson interval at level 1 − α excludes p0 exactly when p < α. Null for invalid counts or
 * p0 outside (0, 1).
 */
export function scorePValue(k: number, n: number, p0: number): number | null {
  if (!validCounts(k, n) || !Number.isFinite(p0) || p0 <= 0 || p0 >= 1) return null;
  return twoSidedP((k / n - p0) / Math.sqrt((p0 * (1 - p0)) / n));
}

// ---------------------------------------------------------------------------
// Comparison with a benchmark

export type ComparisonCategory = "higher" | "similar" | "lower";

/**
 * Benchmark of a comparison:
 *  - rest:  the rest of the city, i.e. the city's counts minus the area's (Newcombe interval
 *           of the difference area − rest);
 *  - total: the city total including the area, treated as a fixed value (the area's Wilson
 *           interval against it – Fingertips' comparison with the England value);
 *  - value: a given proportion, treated as fixed (the area's Wilson interval against it).
 */
export type Benchmark = {kind: "rest"} | {kind: "total"} | {kind: "value"; value: number};

export interface Comparison {
  /** the benchmark rate (rest of the city, city total or the given value) */
  benchmark: number;
  /** rate of the area minus benchmark (proportion) */
  diff: number;
  /**
   * the interval the decision is read from: for rest, Newcombe's interval of the difference;
   * for total and value, the area's Wilson interval (of the rate, not of a difference)
   */
  interval: Interval;
  /** two-sided p-value consistent with the interval (newcombePValue or scorePValue) */
  pValue: number;
  category: ComparisonCategory;
}

/**
 * Compares k/n of an area with the rest of the city (cityK − k of cityN − n) at the given
 * level: higher if Newcombe's interval lies above 0, lower if below, else similar. Null when the
 * counts are invalid or nothing is left for the rest (cityN − n ≤ 0).
 */
export function compareWithRest(k: number, n: number, cityK: number, cityN: number, level: ConfidenceLevel = 95): Comparison | null {
  const restK = cityK - k;
  const restN = cityN - n;
  if (!validCounts(k, n) || !validCounts(restK, restN)) return null;
  const ci = newcombeInterval(k, n, restK, restN, zForLevel(level))!;
  const pValue = newcombePValue(k, n, restK, restN)!;
  const category: ComparisonCategory = ci.lo > 0 ? "higher" : ci.hi < 0 ? "lower" : "similar";
  return {benchmark: restK / restN, diff: ci.diff, interval: {lo: ci.lo, hi: ci.hi}, pValue, category};
}

/**
 * Compares k/n with a fixed value p0 (0 < p0 < 1): higher if the area's Wilson interval lies
 * above p0, lower if below, else similar. Null for invalid counts or p0.
 */
export function compareWithValue(k: number, n: number, p0: number, level: ConfidenceLevel = 95): Comparison | null {
  const pValue = scorePValue(k, n, p0);
  if (pValue === null) return null;
  const ci = wilsonInterval(k, n, zForLevel(level))!;
  const category: ComparisonCategory = ci.lo > p0 ? "higher" : ci.hi < p0 ? "lower" : "similar";
  return {benchmark: p0, diff: k / n - p0, interval: ci, pValue, category};
}

export interface AreaCount {
  numerator: number | null;
  denominator: number | null;
}

/**
 * Compares every area of one family (one indicator, year and level) with the benchmark. The
 * city's counts are the sums over the areas with valid counts (0 ≤ k ≤ n, n > 0); areas without
 * valid counts get null. For "total" the benchmark is Σk / Σn.
 */
export function compareAreas(areas: readonly AreaCount[], benchmark: Benchmark, level: ConfidenceLevel = 95): (Comparison | null)[] {
  let cityK = 0;
  let cityN = 0;
  const valid = areas.map((a) => a.numerator !== null && a.denominator !== null && validCounts(a.numerator, a.denominator));
  areas.forEach((a, i) => {
    if (valid[i]) {
      cityK += a.numerator!;
      cityN += a.denominator!;
    }
  });
  return areas.map((a, i) => {
    if (!valid[i]) return null;
    const k = a.numerator!;
    const n = a.denominator!;
    if (benchmark.kind === "rest") return compareWithRest(k, n, cityK, cityN, level);
    const p0 = benchmark.kind === "total" ? (cityN > 0 ? cityK / cityN : NaN) : benchmark.value;
    return compareWithValue(k, n, p0, level);
  });
}

// ---------------------------------------------------------------------------
// Benjamini–Hochberg

export interface BhResult {
  /** BH-adjusted p-values (q-values), null where the p-value is null */
  adjusted: (number | null)[];
  /** rejected at FDR level q: adjusted ≤ q */
  rejected: boolean[];
}

/**
 * Benjamini–Hochberg (1995) step-up procedure over the non-null p-values (m of them): with the
 * p-values sorted ascending p(1) ≤ … ≤ p(m), reject H(1) … H(k) for the largest k with
 * p(k) ≤ k·q/m. Equivalently the adjusted p-value is p̃(i) = min over j ≥ i of min(1, m·p(j)/j)
 * and H(i) is rejected when p̃(i) ≤ q. Controls the FDR at q·m0/m for independent (and
 * positively dependent) tests.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[], q: number): BhResult {
  const indexed = pValues
    .map((p, i) => ({p, i}))
    .filter((e): e is {p: number; i: number} => e.p !== null && Number.isFinite(e.p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = indexed.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const e = indexed[r]!;
    running = Math.min(running, (m * e.p) / (r + 1));
    adjusted[e.i] = running;
  }
  return {adjusted, rejected: adjusted.map((a) => a !== null && a <= q)};
}

/**
 * The categories of a family of comparisons after Benjamini–Hochberg at q = 1 − level
 * (0.05 or 0.002): a comparison keeps "higher"/"lower" (by the sign of its difference) only when
 * its hypothesis is rejected, otherwise it becomes "similar". Nulls stay null.
 */
export function fdrCategories(comparisons: readonly (Comparison | null)[], level: ConfidenceLevel = 95): (ComparisonCategory | null)[] {
  const bh = benjaminiHochberg(comparisons.map((c) => c?.pValue ?? null), alphaForLevel(level));
  return comparisons.map((c, i) => {
    if (c === null) return null;
    if (!bh.rejected[i]) return "similar";
    return c.diff > 0 ? "higher" : c.diff < 0 ? "lower" : "similar";
  });
}

// ---------------------------------------------------------------------------
// Funnel plot

/**
 * Funnel-plot control limits for a proportion at denominator n around the benchmark p0
 * (Fingertips / PHE guidance; Spiegelhalter 2005): the proportions at which an area's Wilson
 * score interval at the same z just reaches p0. Since the Wilson interval is the set of p0
 * with |p − p0| ≤ z·√(p0(1 − p0)/n), these are
 *   lo = p0 − z·√( p0 (1 − p0) / n ),  hi = p0 + z·√( p0 (1 − p0) / n ),
 * clamped to [0, 1] – algebraically identical to PHEindicatormethods' `sigma_adjustment`
 * (the roots of its quadratic). Null unless n > 0 and 0 ≤ p0 ≤ 1.
 */
export function funnelLimits(n: number, p0: number, z: number = WILSON_Z): Interval | null {
  if (!Number.isFinite(n) || n <= 0 || !Number.isFinite(p0) || p0 < 0 || p0 > 1) return null;
  const half = z * Math.sqrt((p0 * (1 - p0)) / n);
  return {lo: Math.max(0, p0 - half), hi: Math.min(1, p0 + half)};
}
