/**
 * The Fingertips "recent trend" for proportions (issue 13): a chi-square test for linear trend
 * (Cochran–Armitage) over the five most recent annual points, significant at 99.8 %, with the
 * direction from the slope of the logits and the check that leaving out any one of the five
 * points does not change the direction.
 *
 * Reproduces the procedure of the Fingertips technical guidance ("Recent trends") as the
 * Fingertips code implements it for proportions (PholioVisualisation.Analysis.TrendMarkers.
 * TrendMarkerCalculator, methods IsSignificantForProportions and NoOutliersCheckForProportion):
 *   - points t = 1 … 5 (oldest to latest), counts k_t of n_t, N = Σ n_t, K = Σ k_t;
 *   - χ² = N · (N·Σ k_t·t − K·Σ n_t·t)² / ( K·(N − K)·(N·Σ n_t·t² − (Σ n_t·t)²) ), 1 df;
 *   - significant when χ² > 9.54953570608324 (the 99.8 % point of χ²(1) = 3.0902323²);
 *   - slope b = (m·Σ t·y_t − Σ y_t·Σ t) / (m·Σ t² − (Σ t)²), unweighted least squares of the
 *     logits y_t = ln(k_t / (n_t − k_t)) on t (m points);
 *   - the slope is computed with all five points and with each one left out (six slopes); a
 *     slope < 0 counts −1, any other +1; only if all six agree (|sum| = 6) and χ² is significant
 *     is the trend "increasing" (slope > 0) or "decreasing" (slope < 0), otherwise "no_change".
 *
 * Deviations (documented in docs/methods.md):
 *   - the five points must be the five consecutive years latest−4 … latest, each with valid
 *     counts (0 ≤ k ≤ n, n > 0); otherwise "cannot_be_calculated". Fingertips takes the five most
 *     recent valid points whatever their spacing; equal scores 1 … 5 only fit equally spaced years.
 *   - a point with k = 0 or k = n has no logit; for the slope it uses the empirical logit
 *     ln((k + 0.5) / (n − k + 0.5)) (Haldane–Anscombe). χ² is unaffected.
 *   - when all five counts are 0 (or all equal their denominators) χ² is undefined (0/0): the
 *     series shows no change, so the outcome is "no_change" with χ² = 0 and no slope.
 */

/** Number of annual points of the recent trend. */
export const TREND_POINTS = 5;

/** χ²(1) critical value at 99.8 % (= 3.090232306167813²), as in the Fingertips code. */
export const TREND_CHI2_CRITICAL = 9.54953570608324;

export type TrendOutcome = "increasing" | "decreasing" | "no_change" | "cannot_be_calculated";

export interface TrendPoint {
  year: number;
  numerator: number | null;
  denominator: number | null;
}

export interface TrendResult {
  outcome: TrendOutcome;
  /** χ² for linear trend over the five points; null when it cannot be calculated */
  chi2: number | null;
  /** slope of the logits per year (all five points); null when it cannot be calculated */
  slope: number | null;
  /** true when χ² > TREND_CHI2_CRITICAL */
  significant: boolean;
  /** true when all six slopes (all points, each point left out) have the same sign */
  consistent: boolean;
  /** years used (oldest first), empty when the trend cannot be calculated */
  years: number[];
  /** German reason for "cannot_be_calculated" */
  reason?: string;
}

function valid(k: number | null, n: number | null): boolean {
  return k !== null && n !== null && Number.isFinite(k) && Number.isFinite(n) && n > 0 && k >= 0 && k <= n;
}

/**
 * Chi-square test for linear trend in proportions (Cochran–Armitage, without continuity
 * correction; the same statistic as R's prop.trend.test) with scores t (default 1 … m).
 * Null when the statistic is undefined (no events or no non-events, or all scores equal).
 */
export function chiSquareForTrend(counts: readonly {numerator: number; denominator: number}[], scores?: readonly number[]): number | null {
  const t = scores ?? counts.map((_, i) => i + 1);
  let N = 0;
  let K = 0;
  let kt = 0;
  let nt = 0;
  let nt2 = 0;
  counts.forEach((c, i) => {
    const ti = t[i]!;
    N += c.denominator;
    K += c.numerator;
    kt += c.numerator * ti;
    nt += c.denominator * ti;
    nt2 += c.denominator * ti * ti;
  });
  const denominator = K * (N - K) * (N * nt2 - nt * nt);
  if (!(denominator > 0)) return null;
  return (N * (N * kt - K * nt) ** 2) / denominator;
}

/** Logit of k of n; the empirical logit ln((k + ½)/(n − k + ½)) for k = 0 or k = n. */
export function logit(k: number, n: number): number {
  return k === 0 || k === n ? Math.log((k + 0.5) / (n - k + 0.5)) : Math.log(k / (n - k));
}

/** Unweighted least-squares slope of y on t. */
function slopeOf(t: readonly number[], y: readonly number[]): number {
  const m = t.length;
  let st = 0;
  let sy = 0;
  let sty = 0;
  let st2 = 0;
  for (let i = 0; i < m; i++) {
    st += t[i]!;
    sy += y[i]!;
    sty += t[i]! * y[i]!;
    st2 += t[i]! * t[i]!;
  }
  return (m * sty - sy * st) / (m * st2 - st * st);
}

/**
 * The recent trend of a series of annual counts, ending with its latest year (or `latestYear`).
 * See the module comment for the procedure.
 */
export function recentTrend(series: readonly TrendPoint[], latestYear?: number): TrendResult {
  const none = (reason: string): TrendResult => ({
    outcome: "cannot_be_calculated", chi2: null, slope: null, significant: false, consistent: false, years: [], reason
  });
  if (series.length === 0) return none("keine Werte");
  const latest = latestYear ?? Math.max(...series.map((p) => p.year));
  const points: {numerator: number; denominator: number}[] = [];
  const years: number[] = [];
  for (let year = latest - TREND_POINTS + 1; year <= latest; year++) {
    const entries = series.filter((p) => p.year === year);
    if (entries.length === 0) return none(`kein Wert für ${year} (nötig sind die ${TREND_POINTS} Jahre ${latest - TREND_POINTS + 1}–${latest})`);
    if (entries.length > 1) return none(`Jahr ${year} kommt mehrfach vor`);
    const p = entries[0]!;
    if (!valid(p.numerator, p.denominator)) return none(`keine gültigen Zahlen für ${year}`);
    points.push({numerator: p.numerator!, denominator: p.denominator!});
    years.push(year);
  }
  const chi2 = chiSquareForTrend(points);
  if (chi2 === null) {
    // all counts 0 or all equal to their denominators: no change
    return {outcome: "no_change", chi2: 0, slope: null, significant: false, consistent: false, years};
  }
  const t = points.map((_, i) => i + 1);
  const y = points.map((p) => logit(p.numerator, p.denominator));
  const slope = slopeOf(t, y);
  let signs = slope < 0 ? -1 : 1;
  for (let leave = 0; leave < TREND_POINTS; leave++) {
    const s = slopeOf(t.filter((_, i) => i !== leave), y.filter((_, i) => i !== leave));
    signs += s < 0 ? -1 : 1;
  }
  const consistent = Math.abs(signs) === TREND_POINTS + 1;
  const significant = chi2 > TREND_CHI2_CRITICAL;
  const outcome: TrendOutcome = significant && consistent ? (slope > 0 ? "increasing" : slope < 0 ? "decreasing" : "no_change") : "no_change";
  return {outcome, chi2, slope, significant, consistent, years};
}
