import {describe, expect, it} from "vitest";
import {averageRanks, reachAgainstNeed, reachByArea, reachByMeasure, reachDataNote, reachRatios, spearman, type ReachRow} from "../../loaders/funding/reach.ts";

const ROWS: ReachRow[] = [
  {measure_id: 1, area_id: "A", reach: 30, target_population: 100},
  {measure_id: 1, area_id: "B", reach: 10, target_population: 200},
  {measure_id: 2, area_id: "A", reach: 20, target_population: 50},
  {measure_id: 2, area_id: "B", reach: null, target_population: 80},
  {measure_id: 3, area_id: "C", reach: 5, target_population: 0}
];

describe("reach ratios", () => {
  it("per measure and area", () => {
    expect(reachRatios(ROWS).map((r) => r.ratio)).toEqual([0.3, 0.05, 0.4, null, null]);
  });

  it("per measure: Σ reach / Σ target population over rows with known reach", () => {
    // measure 1: 40 / 300; measure 2: 20 / 50 (B unknown: left out of both sums); measure 3: no children → null
    const m = reachByMeasure(ROWS);
    expect(m.map((r) => [r.measure_id, r.reach, r.target_population, r.ratio])).toEqual([
      [1, 40, 300, 40 / 300],
      [2, 20, 50, 0.4],
      [3, 5, 0, null]
    ]);
    expect(m[0]!.uniform_by_construction).toBe(false);
  });

  it("per area: target-population-weighted mean over the measures", () => {
    // A: (30 + 20) / (100 + 50) = 1/3; B: 10 / 200 = 0.05 (measure 2 unknown); C: null
    expect(reachByArea(ROWS).map((r) => [r.area_id, r.ratio, r.measures])).toEqual([
      ["A", 50 / 150, 2],
      ["B", 0.05, 1],
      ["C", null, 1]
    ]);
  });

  it("flags a measure whose reach was spread by target population (same ratio everywhere)", () => {
    const spread: ReachRow[] = [
      {measure_id: "m", area_id: "1", reach: 12, target_population: 120},
      {measure_id: "m", area_id: "2", reach: 3, target_population: 30},
      {measure_id: "m", area_id: "3", reach: 0, target_population: 40, served: false}
    ];
    expect(reachByMeasure(spread)[0]!.uniform_by_construction).toBe(true);
    expect(reachDataNote(reachByMeasure(spread))).toMatch(/^Bei allen Maßnahmen mit Reichweitenangabe/);
    expect(reachDataNote(reachByMeasure([...spread, ...ROWS]))).toMatch(/^Bei 1 von 4 Maßnahmen/);
    expect(reachDataNote(reachByMeasure(ROWS))).toBeNull();
  });

  it("rejects negative values", () => {
    expect(() => reachRatios([{measure_id: 1, area_id: "A", reach: -1, target_population: 1}])).toThrow(RangeError);
  });
});

describe("Spearman rank correlation", () => {
  it("without ties: ρ = 1 − 6 Σd² / (n(n²−1))", () => {
    // need ranks 4 3 2 1, reach ranks 4 2 3 1; d = 0 1 −1 0; Σd² = 2; ρ = 1 − 12/60 = 0.8
    expect(spearman([2, 1, 0, -1], [0.3, 0.1, 0.2, 0.05])).toBeCloseTo(0.8, 14);
  });
  it("with ties: Pearson correlation of average ranks", () => {
    // y ranks 4, 2.5, 2.5, 1; x ranks 4 3 2 1; deviations from 2.5: x (1.5, .5, −.5, −1.5), y (1.5, 0, 0, −1.5)
    // Σxy = 4.5, Σx² = 5, Σy² = 4.5 → ρ = 4.5 / √22.5 = √0.9
    expect(averageRanks([0.3, 0.1, 0.1, 0.05])).toEqual([4, 2.5, 2.5, 1]);
    expect(spearman([2, 1, 0, -1], [0.3, 0.1, 0.1, 0.05])).toBeCloseTo(Math.sqrt(0.9), 14);
  });
  it("undefined for n < 3 or no variation", () => {
    expect(spearman([1, 2], [1, 2])).toBeNull();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
  });
});

describe("reach against need", () => {
  const areaReach = [
    {area_id: "1", reach: 30, target_population: 100},
    {area_id: "2", reach: 10, target_population: 100},
    {area_id: "3", reach: 20, target_population: 100},
    {area_id: "4", reach: 5, target_population: 100},
    {area_id: "5", reach: 7, target_population: 70}
  ];
  const need = [
    {area_id: "1", need_z: 2, need_class: 4},
    {area_id: "2", need_z: 1.2, need_class: 3},
    {area_id: "3", need_z: 0, need_class: 2},
    {area_id: "4", need_z: -1.5, need_class: 1}
  ];

  it("by class, high vs low, Spearman", () => {
    const r = reachAgainstNeed(areaReach, need);
    // class 4: 30/100, class 3: 10/100, class 2: 20/100, class 1: 5/100
    expect(r.by_class.map((c) => c.ratio)).toEqual([0.05, 0.2, 0.1, 0.3]);
    // high (3–4): 40/200 = 0.2; low (1–2): 25/200 = 0.125; ratio 1.6; difference 7.5 pp
    expect(r.high).toEqual({reach: 40, target_population: 200, ratio: 0.2, areas: 2});
    expect(r.low.ratio).toBe(0.125);
    expect(r.ratio_high_to_low).toBeCloseTo(1.6, 14);
    expect(r.difference_pp).toBeCloseTo(7.5, 12);
    // need z 2, 1.2, 0, −1.5 vs ratio 0.3, 0.1, 0.2, 0.05 → ρ = 0.8 (as above)
    expect(r.spearman).toBeCloseTo(0.8, 14);
    expect(r.n).toBe(4);
    expect(r.excluded).toEqual(["5"]);
    expect(r.sentence).toBe(
      "In Gebieten mit hohem Bedarf (Klassen 3–4) entspricht die Reichweite 20,0 % der Zielgruppe, in Gebieten mit geringerem Bedarf (Klassen 1–2) 12,5 %: " +
        "Gebiete mit hohem Bedarf werden besser erreicht. Rangkorrelation (Spearman) zwischen Bedarfsindex und Reichweite: 0,80 (4 Gebiete)."
    );
  });

  it("no high-need areas: no comparison", () => {
    const r = reachAgainstNeed(areaReach.slice(2, 4), need);
    expect(r.ratio_high_to_low).toBeNull();
    expect(r.spearman).toBeNull();
    expect(r.sentence).toContain("nicht möglich");
  });
});
