import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {
  concentrationByYearAndProgramme,
  concentrationCurve,
  concentrationIndex,
  describeConcentration,
  type ConcentrationRow
} from "../../loaders/funding/concentration.ts";

// Four areas, need from high (A) to low (D); 1 000 children, 1 000 €.
const FOUR: ConcentrationRow[] = [
  {area_id: "C", need: 0, population: 300, amount: 200},
  {area_id: "A", need: 2, population: 100, amount: 400},
  {area_id: "D", need: -1, population: 400, amount: 100},
  {area_id: "B", need: 1, population: 200, amount: 300}
];

describe("concentration curve and index", () => {
  it("four areas by hand", () => {
    // ranked A, B, C, D. Cumulative population share x: 0.1, 0.3, 0.6, 1.0; funding share y: 0.4, 0.7, 0.9, 1.0
    // trapezoids Δx·(y_prev + y)/2: 0.1·0.4/2 = 0.02; 0.2·1.1/2 = 0.11; 0.3·1.6/2 = 0.24; 0.4·1.9/2 = 0.38
    // ∫L = 0.75 → C = 2·0.75 − 1 = 0.5
    const r = concentrationCurve(FOUR);
    expect(r.points.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [0.1, 0.4],
      [0.3, 0.7],
      [0.6, expect.closeTo(0.9, 12)],
      [1, 1]
    ]);
    expect(r.points.map((p) => p.area_ids)).toEqual([[], ["A"], ["B"], ["C"], ["D"]]);
    expect(r.points[1]!.amount_per_child).toBe(4);
    expect(r.index).toBeCloseTo(0.5, 12);
    expect(r.total_population).toBe(1000);
    expect(r.total_amount).toBe(1000);
    expect(r.interpretation).toBe("Die Mittel sind auf die Gebiete mit hohem Bedarf konzentriert (C = 0,50): Je Kind erhalten Gebiete mit mehr Bedarf mehr Geld.");
  });

  it("tied need values form one group (independent of the order of tied areas)", () => {
    // B and C both need 1 → one group with 500 children and 500 €: points (0,0) (0.1,0.4) (0.6,0.9) (1,1)
    // ∫L = 0.02 + 0.5·1.3/2 + 0.38 = 0.02 + 0.325 + 0.38 = 0.725 → C = 0.45
    const tied = FOUR.map((r) => (r.area_id === "C" ? {...r, need: 1} : r));
    const r = concentrationCurve(tied);
    expect(r.points).toHaveLength(4);
    expect(r.points[2]!.area_ids).toEqual(["B", "C"]);
    expect(r.points[2]!.population).toBe(500);
    expect(r.index).toBeCloseTo(0.45, 12);
    expect(concentrationCurve([...tied].reverse()).index).toBe(r.index);
  });

  it("equal € per child gives C = 0; funding for low need gives C < 0", () => {
    const equal = FOUR.map((r) => ({...r, amount: r.population * 3}));
    expect(concentrationCurve(equal).index).toBeCloseTo(0, 12);
    expect(concentrationCurve(equal).interpretation).toContain("etwa gleich verteilt");
    // amounts A 0, B 100, C 300, D 600: y = 0, 0.1, 0.4, 1.0
    // ∫L = 0 + 0.2·0.1/2 + 0.3·0.5/2 + 0.4·1.4/2 = 0.01 + 0.075 + 0.28 = 0.365 → C = −0.27
    const amounts: Record<string, number> = {A: 0, B: 100, C: 300, D: 600};
    const proRich = FOUR.map((r) => ({...r, amount: amounts[r.area_id]!}));
    expect(concentrationCurve(proRich).index).toBeCloseTo(-0.27, 12);
    expect(describeConcentration(-0.27)).toContain("geringem Bedarf");
  });

  it("an area without children makes a vertical step at its rank", () => {
    // E (need 3, 0 children, 100 €) added; total 1 100 €:
    // points (0,0) (0,1/11) (0.1,5/11) (0.3,8/11) (0.6,10/11) (1,1)
    // ∫L = [0 + 0.1·(1+5) + 0.2·(5+8) + 0.3·(8+10) + 0.4·(10+11)] / 22 = (0.6 + 2.6 + 5.4 + 8.4)/22 = 17/22
    // C = 34/22 − 1 = 6/11
    const r = concentrationCurve([...FOUR, {area_id: "E", need: 3, population: 0, amount: 100}]);
    expect(r.points[1]).toMatchObject({x: 0, area_ids: ["E"], amount_per_child: null});
    expect(r.points[1]!.y).toBeCloseTo(1 / 11, 14);
    expect(r.index).toBeCloseTo(6 / 11, 12);
  });

  it("edge cases: no money or no children → null; areas without need index are reported", () => {
    const none = concentrationCurve(FOUR.map((r) => ({...r, amount: 0})));
    expect(none.index).toBeNull();
    expect(none.points).toEqual([]);
    expect(none.interpretation).toContain("Kein Konzentrationsindex");
    expect(concentrationCurve(FOUR.map((r) => ({...r, population: 0}))).index).toBeNull();
    const missing = concentrationCurve([...FOUR, {area_id: "X", need: null, population: 50, amount: 70}]);
    expect(missing.index).toBeCloseTo(0.5, 12);
    expect(missing.excluded).toEqual([{area_id: "X", amount: 70, reason: "kein Bedarfsindex"}]);
    expect(() => concentrationCurve([...FOUR, FOUR[0]!])).toThrow(/mehrfach/);
    expect(() => concentrationCurve([{area_id: "A", need: 1, population: -1, amount: 0}])).toThrow(RangeError);
  });

  it("all funding in the neediest area with no children gives C = 1", () => {
    const r = concentrationCurve([
      {area_id: "A", need: 2, population: 0, amount: 100},
      {area_id: "B", need: 1, population: 10, amount: 0}
    ]);
    expect(r.index).toBe(1);
  });

  it("concentrationIndex on raw points", () => {
    expect(concentrationIndex([{x: 0, y: 0}, {x: 1, y: 1}])).toBe(0);
    expect(concentrationIndex([{x: 0, y: 0}, {x: 0.5, y: 1}, {x: 1, y: 1}])).toBeCloseTo(0.5, 14);
  });

  it("properties: range, permutation invariance, sign flip when need is reversed", () => {
    const row = fc.record({
      need: fc.integer({min: -20, max: 20}).map((n) => n / 4),
      population: fc.integer({min: 0, max: 5000}),
      amount: fc.integer({min: 0, max: 100000})
    });
    fc.assert(
      fc.property(fc.array(row, {minLength: 1, maxLength: 12}), (raw) => {
        const rows = raw.map((r, i) => ({area_id: `a${i}`, ...r}));
        const r = concentrationCurve(rows);
        if (r.index === null) return;
        expect(r.index).toBeGreaterThanOrEqual(-1);
        expect(r.index).toBeLessThanOrEqual(1);
        expect(concentrationCurve([...rows].reverse()).index).toBeCloseTo(r.index, 10);
        const flipped = concentrationCurve(rows.map((x) => ({...x, need: -x.need})));
        expect(flipped.index! + r.index).toBeCloseTo(0, 10);
        for (let k = 1; k < r.points.length; k++) {
          expect(r.points[k]!.x).toBeGreaterThanOrEqual(r.points[k - 1]!.x);
          expect(r.points[k]!.y).toBeGreaterThanOrEqual(r.points[k - 1]!.y);
        }
      })
    );
  });
});

describe("per year and programme", () => {
  it("adds unfunded areas with 0 €, sums measures, lists all programmes first", () => {
    const areas = [
      {year: 2023, area_id: "1", need: 1.5, population: 100},
      {year: 2023, area_id: "2", need: -0.5, population: 300},
      {year: 2024, area_id: "1", need: 1.4, population: 100},
      {year: 2024, area_id: "2", need: -0.4, population: 300}
    ];
    const funding = [
      {year: 2023, programme: "kinderstark", area_id: "1", amount: 50},
      {year: 2023, programme: "kinderstark", area_id: "1", amount: 50},
      {year: 2023, programme: "Frühe Hilfen", area_id: "2", amount: 300},
      {year: 2024, programme: "kinderstark", area_id: "9", amount: 10}
    ];
    const groups = concentrationByYearAndProgramme(areas, funding);
    expect(groups.map((g) => [g.year, g.programme])).toEqual([
      [2023, null],
      [2023, "Frühe Hilfen"],
      [2023, "kinderstark"],
      [2024, null],
      [2024, "kinderstark"]
    ]);
    // 2023 all: area 1 (need 1.5) 100 children 100 €, area 2: 300 children 300 € → equal per child → C = 0
    expect(groups[0]!.result.index).toBeCloseTo(0, 12);
    // kinderstark 2023: all 100 € in area 1 with 25 % of the children: points (0,0) (0.25,1) (1,1)
    // ∫L = 0.25·1/2 + 0.75·2/2 = 0.125 + 0.75 = 0.875 → C = 0.75
    expect(groups[2]!.result.index).toBeCloseTo(0.75, 12);
    // Frühe Hilfen 2023: all in area 2 (low need): points (0,0) (0.25,0) (1,1): ∫L = 0.375 → C = −0.25
    expect(groups[1]!.result.index).toBeCloseTo(-0.25, 12);
    // 2024: money only in an area without need row → excluded, index null
    expect(groups[3]!.result.index).toBeNull();
    expect(groups[3]!.result.excluded).toEqual([{area_id: "9", amount: 10, reason: "kein Bedarfsindex"}]);
  });
});
