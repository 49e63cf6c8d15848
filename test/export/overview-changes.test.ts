/**
 * The overview's "largest changes" are findings only when they are signal (issue 13): changes of
 * proportions whose Newcombe p-value survives Benjamini–Hochberg at 5 % over every published
 * change of the level. Example from the issue: 0 of 21 → 6 of 21 children (+28,6 points) was the
 * Köln overview's headline; among many tests it is noise.
 */
import {describe, expect, it} from "vitest";
import {CHANGE_FDR, overviewFile} from "../../loaders/export/slices.ts";
import type {CityMeta} from "../../loaders/export/site.ts";
import {newcombePValue} from "../../loaders/stats/compare.ts";

type Row = Record<string, unknown>;

const city = {
  levels: [{level: "stadt", level_rank: 0, name: "Stadt"}, {level: "stadtteil", level_rank: 1, name: "Stadtteil"}],
  latest_year: 2024,
  indicators: [
    {indicator_id: "share", polarity: 1, kind: "proportion"},
    {indicator_id: "euro", polarity: -1, kind: "per_capita"}
  ]
} as unknown as CityMeta;

function pair(indicator: string, area: string, k0: number | null, n0: number | null, k1: number, n1: number): Row[] {
  const rate0 = k0 === null || n0 === null ? null : k0 / n0;
  return [
    {indicator_id: indicator, year: 2023, level: "stadtteil", area_id: area, name: area, numerator: k0, denominator: n0, rate: rate0, change_1y: null, synthetic: false},
    {indicator_id: indicator, year: 2024, level: "stadtteil", area_id: area, name: area, numerator: k1, denominator: n1, rate: k1 / n1, change_1y: rate0 === null ? null : 100 * (k1 / n1 - rate0), synthetic: false}
  ];
}

describe("overview: largest changes only from signal", () => {
  it("Benjamini–Hochberg over 20 changes keeps 100 → 300 of 1.000 and drops 0 → 6 of 21", () => {
    const values: Row[] = [
      ...pair("share", "A", 100, 1000, 300, 1000), // +20 points on 1.000 children: p ≈ 0
      ...pair("share", "B", 0, 21, 6, 21), //          +28,6 points on 21 children
      ...Array.from({length: 18}, (_, i) => pair("share", `N${i}`, 50, 100, 50, 100)).flat(), // no change: p = 1
      ...pair("euro", "E", 10, 100, 90, 100), //        € per child: no sampling model, not tested
      ...pair("share", "W", null, null, 20, 40) //      previous year withheld: no change published
    ];
    // B alone would pass at 5 %, but not as the second smallest of 20 p-values: BH needs p ≤ 2 · 0,05 / 20 = 0,005
    const pB = newcombePValue(6, 21, 0, 21)!;
    expect(pB).toBeGreaterThan(0.005);
    expect(pB).toBeLessThan(0.05);
    expect(newcombePValue(300, 1000, 100, 1000)!).toBeLessThan(1e-10);
    expect(CHANGE_FDR).toBe(0.05);
    const file = overviewFile(values, [], city) as {changes: Row[]; changes_tested: number; changes_significant: number};
    expect(file.changes_tested).toBe(20);
    expect(file.changes_significant).toBe(1);
    expect(file.changes.map((c) => c.area_id)).toEqual(["A"]);
    expect(file.changes[0]!.change_1y).toBeCloseTo(20, 10);
  });

  it("with B among one null change it is a finding (2 tests: BH bound for the smallest p is 0,025)", () => {
    const values: Row[] = [...pair("share", "B", 0, 21, 6, 21), ...pair("share", "N", 50, 100, 50, 100)];
    const file = overviewFile(values, [], city) as {changes: Row[]; changes_tested: number; changes_significant: number};
    // Wilson 95 %: 6/21 → [0,1381; 0,5007], 0/21 → [0; 0,1546]; Newcombe lower bound
    // 0,2857 − √((0,2857 − 0,1381)² + 0,1546²) = 0,0720 > 0; the p-value at which it reaches 0 is 0,0128
    expect(newcombePValue(6, 21, 0, 21)).toBeCloseTo(0.0128, 4);
    expect(file.changes_tested).toBe(2);
    expect(file.changes_significant).toBe(1);
    expect(file.changes.map((c) => c.area_id)).toEqual(["B"]);
  });
});
