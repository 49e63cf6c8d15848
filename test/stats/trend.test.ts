import {describe, expect, it} from "vitest";
import {Z_998} from "../../loaders/stats/compare.ts";
import {TREND_CHI2_CRITICAL, chiSquareForTrend, logit, recentTrend, type TrendPoint} from "../../loaders/stats/trend.ts";

function series(counts: [number, number | null, number | null][]): TrendPoint[] {
  return counts.map(([year, numerator, denominator]) => ({year, numerator, denominator}));
}

function years(start: number, counts: [number, number][]): TrendPoint[] {
  return counts.map(([k, n], i) => ({year: start + i, numerator: k, denominator: n}));
}

describe("chi-square test for linear trend (Cochran–Armitage)", () => {
  it("reproduces R's prop.trend.test example (smokers 83/86, 90/93, 129/136, 70/82 → X² = 8.2249)", () => {
    const chi2 = chiSquareForTrend([
      {numerator: 83, denominator: 86},
      {numerator: 90, denominator: 93},
      {numerator: 129, denominator: 136},
      {numerator: 70, denominator: 82}
    ]);
    expect(chi2).toBeCloseTo(8.2249, 4);
  });

  it("a small case by hand", () => {
    // 1/10, 2/10, 3/10, 4/10, 5/10; t = 1…5: N = 50, K = 15, Σk·t = 1+4+9+16+25 = 55,
    // Σn·t = 150, Σn·t² = 550
    // χ² = 50·(50·55 − 15·150)² / (15·35·(50·550 − 150²)) = 50·500² / (525·5000) = 12 500 000 / 2 625 000 = 4.7619048
    expect(chiSquareForTrend([1, 2, 3, 4, 5].map((k) => ({numerator: k, denominator: 10})))).toBeCloseTo(4.7619048, 7);
    expect(chiSquareForTrend([0, 0, 0].map((k) => ({numerator: k, denominator: 10})))).toBeNull();
  });

  it("the 99.8 % critical value is z(0.999)²", () => {
    expect(TREND_CHI2_CRITICAL).toBeCloseTo(Z_998 * Z_998, 12);
  });
});

describe("recent trend (Fingertips rules)", () => {
  it("the by-hand series above is not significant at 99.8 % → no_change", () => {
    const result = recentTrend(years(2019, [[1, 10], [2, 10], [3, 10], [4, 10], [5, 10]]));
    expect(result.outcome).toBe("no_change");
    expect(result.chi2).toBeCloseTo(4.7619048, 7);
    expect(result.significant).toBe(false);
    expect(result.consistent).toBe(true);
    expect(result.years).toEqual([2019, 2020, 2021, 2022, 2023]);
    // slope of logits ln(1/9), ln(2/8), ln(3/7), ln(4/6), ln(5/5) = −2.1972, −1.3863, −0.8473, −0.4055, 0 on t = 1…5:
    // Σt = 15, Σy = −4.8363, Σt·y = −2.1972 − 2.7726 − 2.5419 − 1.6219 + 0 = −9.1336
    // b = (5·(−9.1336) − (−4.8363)·15) / (5·55 − 225) = (−45.668 + 72.545) / 50 = 0.53754
    expect(result.slope).toBeCloseTo(0.53754, 4);
  });

  it("reproduces the Fingertips test data (TrendMarkerCalculator tests, proportions)", () => {
    // Indicator 1172, 2009–2013: increasing
    const increasing = recentTrend(
      years(2009, [[8116, 91530], [8145, 91773], [8222, 92088], [8506, 92238], [8728, 92665.89]])
    );
    expect(increasing.outcome).toBe("increasing");
    expect(increasing.chi2).toBeCloseTo(23.554101, 5);
    // Indicator 10101, 2008–2012: 29.9 %, 30.3 %, 30.2 %, 30.6 %, 29.8 % → no change
    const flat = recentTrend(years(2008, [[5405, 18095], [5500, 18170], [5435, 18005], [5480, 17890], [5315, 17860]]));
    expect(flat.outcome).toBe("no_change");
    expect(flat.chi2).toBeCloseTo(0.0179504, 6);
    // the same with the earlier years 2006 and 2007 in front: only the five most recent count
    const flatLonger = recentTrend([...series([[2006, 5455, 18590], [2007, 5645, 18285]]), ...flat.years.map((y, i) => ({
      year: y, numerator: [5405, 5500, 5435, 5480, 5315][i]!, denominator: [18095, 18170, 18005, 17890, 17860][i]!
    }))]);
    expect(flatLonger.outcome).toBe("no_change");
    expect(flatLonger.years).toEqual([2008, 2009, 2010, 2011, 2012]);
    // Indicator 10101 (second series), 2008–2012: 34.1 % … 26.9 % → decreasing
    const decreasing = recentTrend(years(2008, [[22435, 65880], [22445, 67900], [21365, 68705], [20955, 69835], [19055, 70910]]));
    expect(decreasing.outcome).toBe("decreasing");
    expect(decreasing.chi2).toBeCloseTo(978.28447, 4);
    // small numbers, years 2–6 of the test's series 4: 7/35, 6/42, 8/50, 8/100, 9/200 → decreasing
    const small = recentTrend(years(2, [[7, 35], [6, 42], [8, 50], [8, 100], [9, 200]]));
    expect(small.outcome).toBe("decreasing");
    expect(small.chi2).toBeCloseTo(13.763080, 5);
  });

  it("the leave-one-out check", () => {
    // 20/200 in four years, then 60/200: χ² = 26.58; without the last point the slope is exactly 0,
    // which the Fingertips code counts like a positive slope → all six agree → increasing
    const jump = recentTrend(years(2019, [[20, 200], [20, 200], [20, 200], [20, 200], [60, 200]]));
    expect(jump.chi2).toBeCloseTo(26.578073, 5);
    expect(jump.outcome).toBe("increasing");
    // 60, 20, 20, 21, 90 of 200: χ² = 11.18 > 9.55 and the full slope is positive (0.135), but
    // without the last point the slope is negative → not consistent → no_change
    const mixed = recentTrend(years(2019, [[60, 200], [20, 200], [20, 200], [21, 200], [90, 200]]));
    expect(mixed.significant).toBe(true);
    expect(mixed.chi2).toBeCloseTo(11.175584, 5);
    expect(mixed.consistent).toBe(false);
    expect(mixed.outcome).toBe("no_change");
    // a steady rise survives leaving any point out
    const rise = recentTrend(years(2019, [[20, 200], [30, 200], [40, 200], [50, 200], [60, 200]]));
    expect(rise.consistent).toBe(true);
    expect(rise.significant).toBe(true);
    expect(rise.outcome).toBe("increasing");
    expect(rise.slope).toBeGreaterThan(0);
    // a symmetric hump has no linear trend: Σk·t = 3·Σk, so N·Σk·t − K·Σn·t = 0 → χ² = 0
    const hump = recentTrend(years(2019, [[10, 1000], [100, 1000], [100, 1000], [100, 1000], [10, 1000]]));
    expect(hump.chi2).toBeCloseTo(0, 10);
    expect(hump.outcome).toBe("no_change");
  });

  it("cannot_be_calculated: fewer than five years, a gap, missing or invalid counts", () => {
    expect(recentTrend([]).outcome).toBe("cannot_be_calculated");
    expect(recentTrend(years(2020, [[1, 10], [2, 10], [3, 10], [4, 10]])).outcome).toBe("cannot_be_calculated");
    const gap = recentTrend(series([[2017, 1, 10], [2018, 2, 10], [2019, 3, 10], [2021, 4, 10], [2022, 5, 10]]));
    expect(gap.outcome).toBe("cannot_be_calculated");
    expect(gap.reason).toContain("kein Wert für 2020");
    const missing = recentTrend(series([[2018, 1, 10], [2019, 2, 10], [2020, null, 10], [2021, 4, 10], [2022, 5, 10]]));
    expect(missing.outcome).toBe("cannot_be_calculated");
    expect(missing.chi2).toBeNull();
    expect(missing.reason).toContain("2020");
    expect(recentTrend(series([[2018, 1, 10], [2019, 2, 10], [2020, 11, 10], [2021, 4, 10], [2022, 5, 10]])).outcome).toBe(
      "cannot_be_calculated"
    );
    // an explicit latest year without its own value
    expect(recentTrend(years(2018, [[1, 10], [2, 10], [3, 10], [4, 10], [5, 10]]), 2023).outcome).toBe("cannot_be_calculated");
  });

  it("zero counts: empirical logit for the slope; all zero → no_change with χ² = 0", () => {
    expect(logit(0, 10)).toBeCloseTo(Math.log(0.5 / 10.5), 15);
    expect(logit(10, 10)).toBeCloseTo(Math.log(10.5 / 0.5), 15);
    const zeros = recentTrend(years(2018, [[0, 20], [0, 20], [0, 20], [0, 20], [0, 20]]));
    expect(zeros).toMatchObject({outcome: "no_change", chi2: 0, slope: null});
    // 0/50, 0/50, 2/50, 8/50, 15/50: χ² = 32.09 > 9.55, rise robust to leaving any point out
    const from0 = recentTrend(years(2018, [[0, 50], [0, 50], [2, 50], [8, 50], [15, 50]]));
    expect(from0.chi2).toBeCloseTo(32.088889, 5);
    expect(from0.outcome).toBe("increasing");
    expect(Number.isFinite(from0.slope)).toBe(true);
  });
});
