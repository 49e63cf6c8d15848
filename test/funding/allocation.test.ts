import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {allocate, largestRemainder, ruleWeights, type AllocationArea, type AllocationRule} from "../../loaders/funding/allocation.ts";

// Three areas, budget 1 000,00 € = 100 000 cents.
const AREAS: AllocationArea[] = [
  {area_id: "A", name: "Alpha", target_population: 100, need_class: 4, need_z: 2.0, sgb2_u6: 30, nongerman_lang: 10, current: 300},
  {area_id: "B", name: "Beta", target_population: 200, need_class: 2, need_z: 0.5, sgb2_u6: 20, nongerman_lang: 50, current: 300},
  {area_id: "C", name: "Gamma", target_population: 300, need_class: 1, need_z: -1.2, sgb2_u6: 10, nongerman_lang: 40, current: 400}
];
const cents = (r: ReturnType<typeof allocate>): number[] => r.rows.map((x) => x.proposed_cents);
const nbsp = (s: string): string => s.replaceAll("\u00a0", " ");

describe("allocation rules, computed by hand to the cent", () => {
  it("equal_per_capita", () => {
    // w = 100, 200, 300; Σw = 600. exact: 100000·100/600 = 16666.67, 33333.33, 50000
    // floors 16666 + 33333 + 50000 = 99999 → 1 cent left; largest remainder A (.67) → A 16667
    const r = allocate(100_000, AREAS, "equal_per_capita");
    expect(cents(r)).toEqual([16_667, 33_333, 50_000]);
    expect(r.rows.map((x) => x.extra_cent)).toEqual([1, 0, 0]);
    expect(r.rows[0]).toMatchObject({proposed_eur: 166.67, share_pct: 16.667, current_eur: 300, difference_eur: -133.33});
    // (166.67 − 300) / 300 · 100 = −44.443333…
    expect(r.rows[0]!.difference_pct).toBeCloseTo(-44.44333333, 6);
    expect(r.total_current_eur).toBe(1000);
    expect(r.formula).toBe("Anteil_i = Kinder_i / Σ Kinder; Betrag_i = Budget × Anteil_i");
    expect(r.description).toContain("Gleicher Betrag je Kind");
    expect(r.description).toContain("Hare-Niemeyer");
  });

  it("need_weighted: w = children × (1 + max(0, z)); tie in remainder and weight → area id", () => {
    // w_A = 100·(1+2) = 300, w_B = 200·(1+0.5) = 300, w_C = 300·(1+0) = 300
    // exact 33333.33 each; floors 99999; 1 cent left; equal remainders and weights → lowest id A
    const r = allocate(100_000, AREAS, "need_weighted");
    expect(r.rows.map((x) => x.weight)).toEqual([300, 300, 300]);
    expect(cents(r)).toEqual([33_334, 33_333, 33_333]);
    expect(r.formula).toBe("Anteil_i = w_i / Σ w, w_i = Kinder_i × (1 + 1 × max(0; z_i)); Betrag_i = Budget × Anteil_i");
    // k = 0.5: w = 100·2 = 200, 200·1.25 = 250, 300 → as the class-multiplier example below
    expect(cents(allocate(100_000, AREAS, "need_weighted", {needStrength: 0.5}))).toEqual([26_667, 33_333, 40_000]);
  });

  it("class_multipliers with the default factors 1,0 / 1,25 / 1,5 / 2,0", () => {
    // w_A = 100·2 = 200 (class 4), w_B = 200·1.25 = 250 (class 2), w_C = 300·1 = 300 (class 1); Σw = 750
    // exact 26666.67, 33333.33, 40000; floors 99999; 1 cent to A (.67)
    const r = allocate(100_000, AREAS, "class_multipliers");
    expect(cents(r)).toEqual([26_667, 33_333, 40_000]);
    expect(nbsp(r.formula)).toBe("Anteil_i = w_i / Σ w, w_i = Kinder_i × Faktor(Klasse_i), Faktor(1; 2; 3; 4) = 1,0; 1,25; 1,5; 2,0; Betrag_i = Budget × Anteil_i");
    expect(r.description).toContain("Klasse 4: 2,0");
  });

  it("pluskita: 75 % by children under 6 in SGB II, 25 % by non-German family language", () => {
    // ΣS = 60, ΣL = 100. w_A = .75·30/60 + .25·10/100 = .375 + .025 = .4
    // w_B = .75·20/60 + .25·50/100 = .25 + .125 = .375; w_C = .75·10/60 + .25·40/100 = .125 + .1 = .225
    // budget 99 999 cents: exact 39999.6, 37499.625, 22499.775; floors 39999 + 37499 + 22499 = 99997
    // 2 cents left: largest remainders C (.775), B (.625) → 39999, 37500, 22500
    const r = allocate(99_999, AREAS, "pluskita");
    expect(r.rows.map((x) => x.weight)).toEqual([expect.closeTo(0.4, 14), expect.closeTo(0.375, 14), expect.closeTo(0.225, 14)]);
    expect(cents(r)).toEqual([39_999, 37_500, 22_500]);
    expect(r.rows.map((x) => x.extra_cent)).toEqual([0, 1, 1]);
    expect(r.description).toContain("75 % des Budgets");
    expect(() => allocate(100, [{area_id: "X", target_population: 1}], "pluskita")).toThrow(/SGB-II/);
  });

  it("minimum: areas below it are fixed, the rest is redistributed", () => {
    // class_multipliers, minimum 300,00 €: round 1 A = 26666.67 < 30000 → A fixed at 30000
    // round 2: rest 70000 over B, C (w 250, 300): B = 70000·250/550 = 31818.18, C = 38181.82 (both ≥ minimum)
    // floors 30000 + 31818 + 38181 = 99999; 1 cent: C (.82) → 30000, 31818, 38182
    const r = allocate(100_000, AREAS, "class_multipliers", {minimumCents: 30_000});
    expect(cents(r)).toEqual([30_000, 31_818, 38_182]);
    expect(r.rows.map((x) => x.at_minimum)).toEqual([true, false, false]);
    expect(r.rounds).toBe(2);
    expect(nbsp(r.description)).toContain("mindestens 300,00 €");
    // minimum 330,00 €: round 1 fixes A; round 2: B = 67000·250/550 = 30454.55 < 33000 → fixed; round 3: C = 34000
    const r2 = allocate(100_000, AREAS, "class_multipliers", {minimumCents: 33_000});
    expect(cents(r2)).toEqual([33_000, 33_000, 34_000]);
    expect(r2.rounds).toBe(3);
  });

  it("errors: budget below n × minimum, no weights, missing need", () => {
    expect(() => allocate(89_999, AREAS, "equal_per_capita", {minimumCents: 30_000})).toThrow(/reicht nicht/);
    expect(() => allocate(100, AREAS.map((a) => ({...a, target_population: 0})), "equal_per_capita")).toThrow(/Gewicht/);
    expect(() => allocate(100, [{area_id: "X", target_population: 5}], "class_multipliers")).toThrow(/Bedarfsklasse/);
    expect(() => allocate(100, [{area_id: "X", target_population: 5}], "need_weighted")).toThrow(/Bedarfsindex/);
    expect(() => allocate(10.5, AREAS, "equal_per_capita")).toThrow(/Cent/);
    expect(() => allocate(100, [...AREAS, AREAS[0]!], "equal_per_capita")).toThrow(/mehrfach/);
  });

  it("zero-weight area gets 0, or exactly the minimum", () => {
    const withEmpty = [...AREAS, {area_id: "D", target_population: 0, need_class: 4 as const}];
    expect(allocate(100_000, withEmpty, "class_multipliers").rows[3]!.proposed_cents).toBe(0);
    expect(allocate(100_000, withEmpty, "class_multipliers", {minimumCents: 1_000}).rows[3]!.proposed_cents).toBe(1_000);
  });
});

describe("largest remainder", () => {
  it("ties: larger weight first, then area id in natural order", () => {
    const items = [
      {area_id: "10", exact: 1.5, weight: 1, eligible: true},
      {area_id: "2", exact: 1.5, weight: 1, eligible: true},
      {area_id: "3", exact: 1.5, weight: 2, eligible: true},
      {area_id: "4", exact: 0, weight: 0, eligible: false}
    ];
    // floors 1, 1, 1, 0 = 3; total 5 → 2 cents: "3" (weight 2), then "2" (before "10")
    expect(largestRemainder(5, items)).toEqual([1, 2, 2, 0]);
  });
});

describe("properties (fast-check)", () => {
  const area = fc.record({
    target_population: fc.integer({min: 0, max: 20_000}),
    need_class: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
    need_z: fc.double({min: -3, max: 3, noNaN: true}),
    sgb2_u6: fc.integer({min: 0, max: 3_000}),
    nongerman_lang: fc.integer({min: 0, max: 3_000})
  });
  const rules: AllocationRule[] = ["need_weighted", "class_multipliers", "pluskita", "equal_per_capita"];

  it("sum = budget exactly, every area ≥ minimum, zero weight → 0 (or the minimum), at most 1 cent from the exact share", () => {
    fc.assert(
      fc.property(
        fc.array(area, {minLength: 1, maxLength: 15}),
        fc.constantFrom(...rules),
        fc.integer({min: 0, max: 2_000_000_000}),
        fc.double({min: 0, max: 1, noNaN: true}),
        (raw, rule, budget, minFraction) => {
          const areas = raw.map((a, i) => ({area_id: String(i + 1), ...a}));
          const minimum = Math.floor((budget / areas.length) * minFraction * 0.999);
          let weights: number[];
          try {
            weights = ruleWeights(areas, rule);
          } catch {
            return; // pluskita without any SGB II / language children: documented error
          }
          const allZero = weights.every((w) => w === 0);
          if (allZero && budget - minimum * areas.length > 0) {
            expect(() => allocate(budget, areas, rule, {minimumCents: minimum})).toThrow(RangeError);
            return;
          }
          const r = allocate(budget, areas, rule, {minimumCents: minimum});
          expect(r.rows.reduce((s, x) => s + x.proposed_cents, 0)).toBe(budget);
          for (const [i, x] of r.rows.entries()) {
            expect(Number.isInteger(x.proposed_cents)).toBe(true);
            expect(x.proposed_cents).toBeGreaterThanOrEqual(minimum);
            if (weights[i] === 0) expect(x.proposed_cents).toBe(minimum);
            expect(Math.abs(x.proposed_cents - x.exact_cents)).toBeLessThan(1 + 1e-6);
          }
        }
      ),
      {numRuns: 500}
    );
  });

  it("more need never means fewer cents per child (class_multipliers, no minimum)", () => {
    fc.assert(
      fc.property(fc.array(area, {minLength: 2, maxLength: 10}), fc.integer({min: 1_000_000, max: 1_000_000_000}), (raw, budget) => {
        const areas = raw.map((a, i) => ({area_id: String(i + 1), ...a, target_population: a.target_population + 1}));
        const r = allocate(budget, areas, "class_multipliers");
        const perChild = r.rows.map((x, i) => ({c: areas[i]!.need_class, v: x.exact_cents / areas[i]!.target_population}));
        for (const a of perChild) for (const b of perChild) if (a.c > b.c) expect(a.v).toBeGreaterThan(b.v);
      })
    );
  });
});
