/**
 * The recent trend on the profile pages (issue 13): every proportion indicator of an area gets
 * the Fingertips trend over its last five years, from published counts only.
 */
import {describe, expect, it} from "vitest";
import {areaTrends} from "../../loaders/export/slices.ts";
import {chiSquareForTrend} from "../../loaders/stats/trend.ts";

type Row = Record<string, unknown>;
const row = (indicator: string, year: number, k: number | null, n: number | null): Row => ({indicator_id: indicator, year, numerator: k, denominator: n});

describe("area trends", () => {
  it("a rise from 10 % to 30 % of 200 children is increasing; a flat series no change; a withheld year cannot be calculated; ratios get none", () => {
    const years = [2020, 2021, 2022, 2023, 2024];
    const values: Row[] = [
      ...years.map((y, i) => row("up", y, 20 + 10 * i, 200)), //   20, 30, 40, 50, 60 of 200
      ...years.map((y) => row("flat", y, 40, 200)),
      ...years.map((y) => row("gap", y, y === 2022 ? null : 40, y === 2022 ? null : 200)),
      ...years.map((y) => row("ratio", y, 50, 100))
    ];
    const trends = new Map(areaTrends(values, new Set(["up", "flat", "gap"])).map((t) => [t.indicator_id, t]));
    expect([...trends.keys()].sort()).toEqual(["flat", "gap", "up"]);
    // χ² for trend by hand: N = 1.000, K = 200, Σ k·t = 20 + 60 + 120 + 200 + 300 = 700, Σ n·t = 3.000,
    // Σ n·t² = 11.000 → χ² = 1.000 · (1.000 · 700 − 200 · 3.000)² / (200 · 800 · (1.000 · 11.000 − 3.000²)) = 10¹³ / 3,2 · 10¹¹ = 31,25
    expect(chiSquareForTrend(years.map((_, i) => ({numerator: 20 + 10 * i, denominator: 200})))).toBeCloseTo(31.25, 10);
    expect(trends.get("up")).toMatchObject({trend: "increasing", trend_chi2: expect.closeTo(31.25, 10)});
    expect((trends.get("up")!.trend_slope as number)).toBeGreaterThan(0);
    expect(trends.get("flat")).toMatchObject({trend: "no_change", trend_chi2: 0});
    expect(trends.get("gap")).toMatchObject({trend: "cannot_be_calculated", trend_chi2: null, trend_slope: null});
  });
});
