/**
 * The LP auditor on tiny hand-computed tables. Every expected range is derived by hand in the
 * comments; the relations are the ones the attacker knows (hierarchy, pooled windows,
 * complements, shared denominators, published rates, non-negativity).
 */
import {describe, expect, it} from "vitest";
import {
  auditPublishedTables,
  auditRanges,
  buildIndicatorAttackModel,
  cellKey,
  connectedComponents,
  feasibleRanges,
  targetId,
  type AttackModel,
  type CellKind,
  type CellTruth,
  type Hierarchy,
  type IndicatorSpec,
  type PublishedCell,
  type Range,
  type SolveStats,
  type Truth
} from "./lp-auditor.ts";

// ---------------------------------------------------------------------------
// helpers

interface Row {
  indicator?: string;
  area: string;
  year?: number;
  kind?: CellKind;
  /** true values */
  n: number;
  d: number;
  /** withheld on the site (numerator, denominator and rate are then null unless given) */
  withheld?: boolean;
  /** publish the denominator although the cell is withheld */
  publishD?: boolean;
  /** publish this rate */
  rate?: number | null;
  sensitive?: CellTruth["sensitive"];
}

function table(rows: Row[]): {cells: PublishedCell[]; truth: Truth} {
  const cells: PublishedCell[] = [];
  const truth: Truth = new Map();
  for (const r of rows) {
    const cell: PublishedCell = {
      indicator: r.indicator ?? "x",
      area: r.area,
      year: r.year ?? 2021,
      kind: r.kind ?? "annual",
      numerator: r.withheld ? null : r.n,
      denominator: r.withheld && !r.publishD ? null : r.d,
      rate: r.rate !== undefined ? r.rate : r.withheld ? null : r.n / r.d,
      withheld: r.withheld ?? false
    };
    cells.push(cell);
    truth.set(cellKey(cell), {numerator: r.n, denominator: r.d, ...(r.sensitive !== undefined ? {sensitive: r.sensitive} : {})});
  }
  return {cells, truth};
}

const tree = (edges: Record<string, string | null>): Hierarchy => ({parentOf: new Map(Object.entries(edges))});
const cityABC = tree({P: null, a: "P", b: "P", c: "P"});
const proportion = (id = "x", denominatorCell = "pop", extra: Partial<IndicatorSpec> = {}): IndicatorSpec => ({id, kind: "proportion", denominatorCell, ...extra});
const key = (area: string, indicator = "x", year = 2021, kind: CellKind = "annual") => cellKey({indicator, area, year, kind});

async function solve(cells: PublishedCell[], specs: IndicatorSpec[], hierarchy: Hierarchy, options: Parameters<typeof buildIndicatorAttackModel>[3] = {}) {
  const built = buildIndicatorAttackModel(cells, specs, hierarchy, options);
  const ranges = await feasibleRanges(built.model, built.targets);
  return {...built, ranges};
}

const range = (ranges: Map<string, Range>, cell: string, field: "numerator" | "denominator" | "complement") => ranges.get(targetId(cell, field));

// ---------------------------------------------------------------------------
// generic LP layer

describe("feasibleRanges (generic model)", () => {
  it("computes ranges of variables and linear expressions, across components", async () => {
    // component 1: x + y = 10, x, y >= 0, x <= 7  → x ∈ [0, 7], y ∈ [3, 10]
    // component 2: u − 2v = 0, u <= 6              → u ∈ [0, 6], v ∈ [0, 3]
    // z alone, no constraint, z >= 1               → z ∈ [1, ∞)
    // k fixed 5: x + k is x shifted by 5           → [5, 12]
    const model: AttackModel = {
      variables: [
        {id: "x", lower: 0, upper: 7},
        {id: "y", lower: 0, upper: null},
        {id: "u", lower: 0, upper: 6},
        {id: "v", lower: 0, upper: null},
        {id: "z", lower: 1, upper: null},
        {id: "k", lower: 5, upper: 5}
      ],
      constraints: [
        {terms: [["x", 1], ["y", 1]], sense: "=", rhs: 10},
        {terms: [["u", 1], ["v", -2]], sense: "=", rhs: 0},
        {terms: [["k", 2]], sense: "=", rhs: 10} // constant-only, consistent
      ]
    };
    const stats: SolveStats = {components: 0, lps: 0, largestComponent: 0};
    const r = await feasibleRanges(model, ["x", "y", "u", "v", "z", {id: "x+k", terms: [["x", 1], ["k", 1]]}, {id: "y-v", terms: [["y", 1], ["v", -1]]}], {stats});
    expect(r.get("x")).toEqual({min: 0, max: 7});
    expect(r.get("y")).toEqual({min: 3, max: 10});
    expect(r.get("u")).toEqual({min: 0, max: 6});
    expect(r.get("v")).toEqual({min: 0, max: 3});
    expect(r.get("z")).toEqual({min: 1, max: null});
    expect(r.get("x+k")).toEqual({min: 5, max: 12});
    // y − v spans both components: [3 − 3, 10 − 0]
    expect(r.get("y-v")).toEqual({min: 0, max: 10});
    expect(stats.components).toBe(2);
    expect(connectedComponents(model).map((c) => c.sort()).sort()).toEqual([["u", "v"], ["x", "y"], ["z"]]);
  });

  it("reports non-integer optima rounded to 1e-6 and unbounded maxima as null", async () => {
    // 3a = b, a + b <= 10 → a ∈ [0, 2.5]; c − a >= 0 only → c ∈ [0, ∞)
    const model: AttackModel = {
      variables: [{id: "a", lower: 0, upper: null}, {id: "b", lower: 0, upper: null}, {id: "c", lower: 0, upper: null}],
      constraints: [
        {terms: [["a", 3], ["b", -1]], sense: "=", rhs: 0},
        {terms: [["a", 1], ["b", 1]], sense: "<=", rhs: 10},
        {terms: [["a", 1], ["c", -1]], sense: "<=", rhs: 0},
        {terms: [["a", 1 / 3], ["b", 1 / 3]], sense: "<=", rhs: 10 / 3 + 1e-12}
      ]
    };
    const r = await feasibleRanges(model, ["a", "c"]);
    expect(r.get("a")).toEqual({min: 0, max: 2.5});
    expect(r.get("c")).toEqual({min: 0, max: null});
  });

  it("throws on an infeasible component, naming it", async () => {
    const model: AttackModel = {
      variables: [{id: "p", lower: 0, upper: null}, {id: "q", lower: 0, upper: null}],
      constraints: [
        {terms: [["p", 1], ["q", 1]], sense: "=", rhs: 5, label: "sum five"},
        {terms: [["p", 1], ["q", 1]], sense: "=", rhs: 6, label: "sum six"}
      ]
    };
    await expect(feasibleRanges(model, ["p"])).rejects.toThrow(/infeasible in component #0 \(2 variables: p, q; 2 constraints: sum five; sum six\)/);
    // contradictions among constants are caught before solving
    const constants: AttackModel = {variables: [{id: "k", lower: 1, upper: 1}], constraints: [{terms: [["k", 1]], sense: "=", rhs: 2, label: "k is two"}]};
    await expect(feasibleRanges(constants, ["k"])).rejects.toThrow(/contradict k is two/);
  });
});

// ---------------------------------------------------------------------------
// indicator tables

describe("buildIndicatorAttackModel + feasibleRanges", () => {
  it("two withheld children under a published parent: ranges from the sum and from N <= D", async () => {
    // P: N=10, D=100 published; c: N=0, D=10 published; a, b withheld, but their denominators
    // are published (Da=6, Db=84). Relations: Na + Nb = 10 − 0, Na <= 6, Nb <= 84.
    //   Na ∈ [0, 6]  (upper bound from the complement Na <= Da = 6, not from the sum 10)
    //   Nb = 10 − Na ∈ [4, 10]
    //   Ca = 6 − Na ∈ [0, 6],  Cb = 84 − Nb ∈ [74, 80]
    // Truth a=3, b=7, width 3: a needs min<=0, max>=6 ✓; b min<=4, max>=10 ✓;
    // Ca=3: min<=0, max>=6 ✓; Cb=77: min<=74, max>=80 ✓ — every bound exactly on the edge.
    const {cells, truth} = table([
      {area: "P", n: 10, d: 100},
      {area: "a", n: 3, d: 6, withheld: true, publishD: true},
      {area: "b", n: 7, d: 84, withheld: true, publishD: true},
      {area: "c", n: 0, d: 10}
    ]);
    const {ranges, targets} = await solve(cells, [proportion()], cityABC);
    expect(targets.map((t) => t.id).sort()).toEqual([targetId(key("a"), "complement"), targetId(key("a"), "numerator"), targetId(key("b"), "complement"), targetId(key("b"), "numerator")]);
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 0, max: 6});
    expect(range(ranges, key("b"), "numerator")).toEqual({min: 4, max: 10});
    expect(range(ranges, key("a"), "complement")).toEqual({min: 0, max: 6});
    expect(range(ranges, key("b"), "complement")).toEqual({min: 74, max: 80});
    expect(auditRanges(ranges, truth, 3)).toEqual([]);
    // one more unit of width and every count fails
    expect(auditRanges(ranges, truth, 4).map((v) => `${v.cell}#${v.field}:${v.reason}`).sort()).toEqual(
      [`${key("a")}#complement:too narrow`, `${key("a")}#numerator:too narrow`, `${key("b")}#complement:too narrow`, `${key("b")}#numerator:too narrow`]
    );
  });

  it("the same children with withheld denominators: only the sums bound them", async () => {
    // Na + Nb = 10, Da + Db = 90, Na <= Da, Nb <= Db:
    //   Na ∈ [0, 10] (Na = 10 needs Da >= 10: fine), Da ∈ [0, 90] (Da = 0 with Na = 0, Nb = 10 <= Db = 90)
    //   Ca = Da − Na: minimum 0 (Da = Na); Na = 10 − Nb >= 10 − Db = Da − 80, so Ca <= min(Da, 80) → [0, 80]
    const {cells, truth} = table([
      {area: "P", n: 10, d: 100},
      {area: "a", n: 3, d: 40, withheld: true},
      {area: "b", n: 7, d: 50, withheld: true},
      {area: "c", n: 0, d: 10}
    ]);
    const {ranges} = await solve(cells, [proportion()], cityABC);
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 0, max: 10});
    expect(range(ranges, key("a"), "denominator")).toEqual({min: 0, max: 90});
    expect(range(ranges, key("a"), "complement")).toEqual({min: 0, max: 80});
    expect(range(ranges, key("b"), "numerator")).toEqual({min: 0, max: 10});
    // a: 3 needs max >= 6 ✓ (10); b: 7 needs max >= 10 ✓ (10), min <= 4 ✓; Da = 40 and Ca = 37 are well inside
    expect(auditRanges(ranges, truth)).toEqual([]);
  });

  it("a single withheld child among published siblings is recovered exactly", async () => {
    // Na = 20 − 8 − 10 = 2, Da = 200 − 70 − 100 = 30, Ca = 28
    const {cells, truth} = table([
      {area: "P", n: 20, d: 200},
      {area: "a", n: 2, d: 30, withheld: true},
      {area: "b", n: 8, d: 70},
      {area: "c", n: 10, d: 100}
    ]);
    const {ranges} = await solve(cells, [proportion()], cityABC);
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 2, max: 2});
    expect(range(ranges, key("a"), "denominator")).toEqual({min: 30, max: 30});
    expect(range(ranges, key("a"), "complement")).toEqual({min: 28, max: 28});
    expect(auditRanges(ranges, truth)).toEqual([
      {cell: key("a"), field: "numerator", trueValue: 2, min: 2, max: 2, reason: "exact"},
      {cell: key("a"), field: "denominator", trueValue: 30, min: 30, max: 30, reason: "exact"},
      {cell: key("a"), field: "complement", trueValue: 28, min: 28, max: 28, reason: "exact"}
    ]);
  });

  it("non-sensitive counts (sensitive: false or per field) are not reported", async () => {
    const {cells, truth} = table([
      {area: "P", n: 20, d: 200},
      {area: "a", n: 2, d: 30, withheld: true, sensitive: {denominator: false}},
      {area: "b", n: 8, d: 70},
      {area: "c", n: 10, d: 100}
    ]);
    const {ranges} = await solve(cells, [proportion()], cityABC);
    expect(auditRanges(ranges, truth).map((v) => v.field)).toEqual(["numerator", "complement"]);
    truth.get(key("a"))!.sensitive = false;
    expect(auditRanges(ranges, truth)).toEqual([]);
  });

  it("complement: a published N=244 of D=247 has nothing to audit; a withheld N with published D and siblings is exact", async () => {
    const published = table([
      {area: "P", n: 300, d: 400},
      {area: "a", n: 244, d: 247},
      {area: "b", n: 56, d: 153}
    ]);
    const first = await solve(published.cells, [proportion()], tree({P: null, a: "P", b: "P"}));
    expect(first.targets).toEqual([]);
    expect(first.ranges.size).toBe(0);
    // N withheld, D published: Na = 300 − 56 = 244, the complement 247 − 244 = 3 is exact too
    const withheld = table([
      {area: "P", n: 300, d: 400},
      {area: "a", n: 244, d: 247, withheld: true, publishD: true},
      {area: "b", n: 56, d: 153}
    ]);
    const second = await solve(withheld.cells, [proportion()], tree({P: null, a: "P", b: "P"}));
    expect(second.targets.map((t) => t.field)).toEqual(["numerator", "complement"]);
    expect(range(second.ranges, key("a"), "complement")).toEqual({min: 3, max: 3});
    expect(auditRanges(second.ranges, withheld.truth).map((v) => [v.field, v.trueValue, v.reason])).toEqual([
      ["numerator", 244, "exact"],
      ["complement", 3, "exact"]
    ]);
  });

  it("complement bound alone: withheld N with published D and no other relation ranges over [0, D]", async () => {
    // no hierarchy at all: Na ∈ [0, 5], Ca = 5 − Na ∈ [0, 5]; Na = 1 needs max >= 4 ✓, Ca = 4 needs max >= 7 ✗
    const {cells, truth} = table([{area: "a", n: 1, d: 5, withheld: true, publishD: true}]);
    const {ranges} = await solve(cells, [proportion()], tree({a: null}));
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 0, max: 5});
    expect(range(ranges, key("a"), "complement")).toEqual({min: 0, max: 5});
    expect(auditRanges(ranges, truth).map((v) => [v.field, v.reason])).toEqual([["complement", "too narrow"]]);
  });

  it("shared denominators: a denominator withheld for A but published for B is exact", async () => {
    // A and B share "seu_examined"; at area a, A is withheld, B publishes D = 50 → D_A = 50.
    // N_A is bounded only by N_A <= 50 (no hierarchy): [0, 50]; complement [0, 50].
    const a = table([{indicator: "A", area: "a", n: 3, d: 50, withheld: true}]);
    const b = table([{indicator: "B", area: "a", n: 20, d: 50}]);
    const truth = new Map([...a.truth, ...b.truth]);
    const specs = [proportion("A", "seu_examined"), proportion("B", "seu_examined")];
    const {ranges, notes} = await solve([...a.cells, ...b.cells], specs, tree({a: null}));
    expect(notes).toEqual([]);
    expect(range(ranges, key("a", "A"), "denominator")).toEqual({min: 50, max: 50});
    expect(range(ranges, key("a", "A"), "numerator")).toEqual({min: 0, max: 50});
    expect(auditRanges(ranges, truth)).toEqual([{cell: key("a", "A"), field: "denominator", trueValue: 50, min: 50, max: 50, reason: "exact"}]);
    // without sharing (different denominator cells) the denominator is free: [N_A-bound 0, ∞)
    const unshared = await solve([...a.cells, ...b.cells], [proportion("A", "seu_examined"), proportion("B", "other")], tree({a: null}));
    expect(range(unshared.ranges, key("a", "A"), "denominator")).toEqual({min: 0, max: null});
  });

  it("shared denominators with a scale: births = children_0_3 / 3", async () => {
    // kita_u3 publishes D = 90 children aged 0–3 at a; births (ratio, scale 1/3) is withheld → D = 30 exactly.
    const kita = table([{indicator: "kita_u3", area: "a", n: 45, d: 90}]);
    const births = table([{indicator: "births", area: "a", n: 2, d: 30, withheld: true}]);
    const specs: IndicatorSpec[] = [proportion("kita_u3", "children_0_3"), {id: "births", kind: "ratio", denominatorCell: "children_0_3", denominatorScale: 1 / 3}];
    const {ranges, targets} = await solve([...kita.cells, ...births.cells], specs, tree({a: null}));
    // a ratio has no complement target
    expect(targets.map((t) => t.field)).toEqual(["numerator", "denominator"]);
    expect(range(ranges, key("a", "births"), "denominator")).toEqual({min: 30, max: 30});
    // a ratio's numerator is not bounded by its denominator
    expect(range(ranges, key("a", "births"), "numerator")).toEqual({min: 0, max: null});
  });

  it("does not share denominators that are published with different values, and says so", async () => {
    // A and B publish different denominators for the same cell (50 vs 52): separate variables;
    // C (same denominator cell, withheld) then learns nothing about its denominator.
    const {cells} = table([
      {indicator: "A", area: "a", n: 10, d: 50},
      {indicator: "B", area: "a", n: 10, d: 52},
      {indicator: "C", area: "a", n: 3, d: 50, withheld: true}
    ]);
    const specs = [proportion("A", "seu"), proportion("B", "seu"), proportion("C", "seu")];
    const {ranges, notes} = await solve(cells, specs, tree({a: null}));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/seu\|a\|2021\|annual not shared: A=50, B=52/);
    expect(range(ranges, key("a", "C"), "denominator")).toEqual({min: 0, max: null});
  });

  it("pooled: a withheld annual value is the pooled sum minus the published years", async () => {
    // 2019 withheld (N=4, D=30); 2020: 5/35, 2021: 6/40; pooled 2019–2021: 15/105
    // → N2019 = 15 − 5 − 6 = 4, D2019 = 105 − 35 − 40 = 30, C2019 = 26: all exact
    const {cells, truth} = table([
      {area: "a", year: 2019, n: 4, d: 30, withheld: true},
      {area: "a", year: 2020, n: 5, d: 35},
      {area: "a", year: 2021, n: 6, d: 40},
      {area: "a", year: 2021, kind: "pooled", n: 15, d: 105}
    ]);
    const {ranges} = await solve(cells, [proportion()], tree({a: null}), {pooledYears: 3});
    expect(range(ranges, key("a", "x", 2019), "numerator")).toEqual({min: 4, max: 4});
    expect(range(ranges, key("a", "x", 2019), "denominator")).toEqual({min: 30, max: 30});
    expect(auditRanges(ranges, truth).map((v) => [v.field, v.trueValue, v.reason])).toEqual([
      ["numerator", 4, "exact"],
      ["denominator", 30, "exact"],
      ["complement", 26, "exact"]
    ]);
    // with a 2-year window the published 2020 + 2021 = 11 ≠ 15 contradicts the pooled value
    await expect(solve(cells, [proportion()], tree({a: null}), {pooledYears: 2})).rejects.toThrow(/contradict pooled window x\|a\|2021\|pooled \(numerator\)/);
  });

  it("pooled without the other years: the window bounds the withheld year", async () => {
    // 2019 and 2020 withheld, 2021 published 6/40, pooled 15/105:
    // N2019 + N2020 = 9, D2019 + D2020 = 65 → N2019 ∈ [0, 9], D2019 ∈ [0, 65]
    const {cells} = table([
      {area: "a", year: 2019, n: 4, d: 30, withheld: true},
      {area: "a", year: 2020, n: 5, d: 35, withheld: true},
      {area: "a", year: 2021, n: 6, d: 40},
      {area: "a", year: 2021, kind: "pooled", n: 15, d: 105}
    ]);
    const {ranges} = await solve(cells, [proportion()], tree({a: null}));
    expect(range(ranges, key("a", "x", 2019), "numerator")).toEqual({min: 0, max: 9});
    expect(range(ranges, key("a", "x", 2019), "denominator")).toEqual({min: 0, max: 65});
  });

  it("a published rate of a withheld cell leaks: N = rate · D with D published by a sibling indicator", async () => {
    // A withheld at a with rate 0.25 published; B (same denominator cell) publishes D = 40.
    // → D_A = 40, N_A = 0.25 · 40 = 10, C_A = 30: all exact
    const a = table([{indicator: "A", area: "a", n: 10, d: 40, withheld: true, rate: 0.25}]);
    const b = table([{indicator: "B", area: "a", n: 12, d: 40}]);
    const specs = [proportion("A", "pop"), proportion("B", "pop")];
    const {ranges} = await solve([...a.cells, ...b.cells], specs, tree({a: null}));
    expect(range(ranges, key("a", "A"), "numerator")).toEqual({min: 10, max: 10});
    expect(range(ranges, key("a", "A"), "complement")).toEqual({min: 30, max: 30});
    expect(auditRanges(ranges, new Map([...a.truth, ...b.truth])).map((v) => v.reason)).toEqual(["exact", "exact", "exact"]);
    // without the rate, N_A ∈ [0, 40]
    const noRate = await solve([{...a.cells[0]!, rate: null}, ...b.cells], specs, tree({a: null}));
    expect(range(noRate.ranges, key("a", "A"), "numerator")).toEqual({min: 0, max: 40});
  });

  it("a rounded published rate needs rateTolerance", async () => {
    // N = 1 of D = 3 published as 0.33 (two decimals): with tolerance 0.005, N ∈ [0.325·3, 0.335·3] = [0.975, 1.005]
    const {cells} = table([
      {indicator: "A", area: "a", n: 1, d: 3, withheld: true, rate: 0.33},
      {indicator: "B", area: "a", n: 2, d: 3}
    ]);
    const specs = [proportion("A", "pop"), proportion("B", "pop")];
    await expect(solve(cells, specs, tree({a: null}))).resolves.toBeDefined(); // N = 0.99: feasible, but not the truth
    const {ranges} = await solve(cells, specs, tree({a: null}), {rateTolerance: 0.005});
    expect(range(ranges, key("a", "A"), "numerator")).toEqual({min: 0.975, max: 1.005});
  });

  it("a public numerator (e.g. Kita places) is a constant from the truth", async () => {
    // places at a are public (N = 12); the denominator is withheld; P: D = 100, b: D = 70 published
    // → D_a = 30 exact, complement 30 − 12 = 18 exact; the numerator itself is no target
    const {cells, truth} = table([
      {area: "P", n: 40, d: 100},
      {area: "a", n: 12, d: 30, withheld: true},
      {area: "b", n: 28, d: 70}
    ]);
    const specs = [proportion("x", "pop", {numeratorPublic: true})];
    const {ranges, targets} = await solve(cells, specs, tree({P: null, a: "P", b: "P"}), {truth});
    expect(targets.map((t) => t.field)).toEqual(["denominator", "complement"]);
    expect(range(ranges, key("a"), "complement")).toEqual({min: 18, max: 18});
    expect(() => buildIndicatorAttackModel(cells, specs, tree({P: null, a: "P", b: "P"}))).toThrow(/public numerator but options.truth has no value/);
  });

  it("an interval that is too narrow: a = 2, b = 2 under a published parent of 4", async () => {
    // Na + Nb = 4 → Na ∈ [0, 4]. Width 3: min 0 <= max(0, 2 − 3) = 0 ✓, max 4 < 2 + 3 = 5 ✗ → too narrow.
    // Denominators: Da + Db = 100, Na <= Da → Da ∈ [0, 100]; Ca = Da − Na with Na >= 4 − Db = Da − 96
    // → Ca ∈ [0, 96]: wide enough for the true 50 and 48.
    const {cells, truth} = table([
      {area: "P", n: 4, d: 100},
      {area: "a", n: 2, d: 50, withheld: true},
      {area: "b", n: 2, d: 50, withheld: true}
    ]);
    const {ranges} = await solve(cells, [proportion()], tree({P: null, a: "P", b: "P"}));
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 0, max: 4});
    expect(range(ranges, key("a"), "denominator")).toEqual({min: 0, max: 100});
    expect(range(ranges, key("a"), "complement")).toEqual({min: 0, max: 96});
    expect(auditRanges(ranges, truth, 3)).toEqual([
      {cell: key("a"), field: "numerator", trueValue: 2, min: 0, max: 4, reason: "too narrow"},
      {cell: key("b"), field: "numerator", trueValue: 2, min: 0, max: 4, reason: "too narrow"}
    ]);
    // width 2: 4 >= 2 + 2 ✓
    expect(auditRanges(ranges, truth, 2)).toEqual([]);
  });

  it("missing cells of a relation become free variables, not zeros", async () => {
    // parent 10 published, a withheld, b genuinely missing (no row) → Na ∈ [0, 10], not exact
    const {cells} = table([
      {area: "P", n: 10, d: 100},
      {area: "a", n: 3, d: 40, withheld: true}
    ]);
    const {ranges} = await solve(cells, [proportion()], tree({P: null, a: "P", b: "P"}));
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 0, max: 10});
  });

  it("hierarchy over several levels: a withheld district is its city minus the other districts", async () => {
    // city C = districts D1 + D2, D1 = a + b. Annual 2021: a withheld, b published 7, D2 published 20, C published 30
    // → D1 = 30 − 20 = 10 (withheld D1 cannot hide it), a = 10 − 7 = 3 exact
    const {cells, truth} = table([
      {area: "C", n: 30, d: 300},
      {area: "D1", n: 10, d: 100, withheld: true},
      {area: "D2", n: 20, d: 200},
      {area: "a", n: 3, d: 40, withheld: true},
      {area: "b", n: 7, d: 60}
    ]);
    const h = tree({C: null, D1: "C", D2: "C", a: "D1", b: "D1"});
    const {ranges} = await solve(cells, [proportion()], h);
    expect(range(ranges, key("a"), "numerator")).toEqual({min: 3, max: 3});
    expect(range(ranges, key("D1"), "denominator")).toEqual({min: 100, max: 100});
    expect(auditRanges(ranges, truth).length).toBe(6);
  });
});

// ---------------------------------------------------------------------------
// decomposition and scale

describe("decomposition and scale", () => {
  it("two independent subtables give the same answers jointly and separately", async () => {
    const first = table([
      {area: "P", n: 4, d: 100},
      {area: "a", n: 2, d: 50, withheld: true},
      {area: "b", n: 2, d: 50, withheld: true}
    ]);
    const second = table([
      {indicator: "y", area: "Q", n: 20, d: 200},
      {indicator: "y", area: "c", n: 2, d: 30, withheld: true},
      {indicator: "y", area: "d", n: 8, d: 70},
      {indicator: "y", area: "e", n: 10, d: 100}
    ]);
    const specs = [proportion("x", "pop"), proportion("y", "pop2")];
    const h = tree({P: null, a: "P", b: "P", Q: null, c: "Q", d: "Q", e: "Q"});
    const alone1 = await solve(first.cells, specs, h);
    const alone2 = await solve(second.cells, specs, h);
    const joint = buildIndicatorAttackModel([...first.cells, ...second.cells], specs, h);
    const stats: SolveStats = {components: 0, lps: 0, largestComponent: 0};
    const jointRanges = await feasibleRanges(joint.model, joint.targets, {stats});
    expect(jointRanges).toEqual(new Map([...alone1.ranges, ...alone2.ranges]));
    // one LP component per subtable ({Na, Nb, Da, Db} and {Nc, Dc}); published cells are constants
    expect(stats.components).toBe(2);
    expect(stats.largestComponent).toBe(4);
    // 3 targets each of a, b and c, 2 LPs per target
    expect(stats.lps).toBe(18);
  });

  it("audits a table of about 2000 cells; every truth lies inside its range", async () => {
    // city → 5 districts → 5 areas each (31 areas); 5 indicators (3 share a denominator), 8 years + 6 pooled windows
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const districts = ["D1", "D2", "D3", "D4", "D5"];
    const leaves = districts.flatMap((d) => [1, 2, 3, 4, 5].map((i) => `${d}-${i}`));
    const parentOf = new Map<string, string | null>([["city", null], ...districts.map((d): [string, string] => [d, "city"]), ...leaves.map((l): [string, string] => [l, l.slice(0, 2)])]);
    const specs: IndicatorSpec[] = [
      proportion("i1", "seu_examined"),
      proportion("i2", "seu_examined"),
      proportion("i3", "seu_examined"),
      proportion("i4", "children"),
      {id: "i5", kind: "ratio", denominatorCell: "children", denominatorScale: 1 / 3}
    ];
    const years = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022];
    const n = new Map<string, number>();
    const d = new Map<string, number>();
    const base = new Map<string, number>(); // shared denominators: denominatorCell|area|year
    for (const year of years) {
      for (const leaf of leaves) {
        base.set(`seu_examined|${leaf}|${year}`, 15 + Math.floor(random() * 60));
        base.set(`children|${leaf}|${year}`, 3 * (20 + Math.floor(random() * 80)));
      }
    }
    for (const s of specs) {
      for (const year of years) {
        for (const leaf of leaves) {
          const den = base.get(`${s.denominatorCell}|${leaf}|${year}`)! * (s.denominatorScale ?? 1);
          const num = Math.floor(random() * (random() < 0.4 ? 6 : den * 0.5));
          n.set(`${s.id}|${leaf}|${year}`, num);
          d.set(`${s.id}|${leaf}|${year}`, den);
        }
        for (const area of [...districts, "city"]) {
          const kids = area === "city" ? districts : leaves.filter((l) => l.startsWith(area));
          n.set(`${s.id}|${area}|${year}`, kids.reduce((sum, k) => sum + n.get(`${s.id}|${k}|${year}`)!, 0));
          d.set(`${s.id}|${area}|${year}`, kids.reduce((sum, k) => sum + d.get(`${s.id}|${k}|${year}`)!, 0));
        }
      }
    }
    // primary rule (1–4 cases or denominator < 20), plus a crude secondary rule: a district
    // group with one withheld leaf withholds a second one, and a pooled leaf window that
    // contains a withheld year is withheld too. Not meant to be safe, only to give a mix.
    const primary = (nv: number, dv: number) => (nv > 0 && nv < 5) || dv < 20;
    const withheld = new Set<string>(); // indicator|area|year (annual)
    for (const s of specs) {
      for (const year of years) {
        for (const area of ["city", ...districts, ...leaves]) {
          if (primary(n.get(`${s.id}|${area}|${year}`)!, d.get(`${s.id}|${area}|${year}`)!)) withheld.add(`${s.id}|${area}|${year}`);
        }
        for (const district of districts) {
          const kids = leaves.filter((l) => l.startsWith(district));
          const hidden = kids.filter((l) => withheld.has(`${s.id}|${l}|${year}`));
          if (hidden.length === 1) {
            const partner = kids.filter((l) => l !== hidden[0]).sort((x, y) => n.get(`${s.id}|${x}|${year}`)! - n.get(`${s.id}|${y}|${year}`)!)[0]!;
            withheld.add(`${s.id}|${partner}|${year}`);
          }
        }
      }
    }
    const rows: Row[] = [];
    const areas = ["city", ...districts, ...leaves];
    for (const s of specs) {
      for (const year of years) {
        for (const area of areas) {
          const k = `${s.id}|${area}|${year}`;
          rows.push({indicator: s.id, area, year, n: n.get(k)!, d: d.get(k)!, withheld: withheld.has(k)});
          if (year >= 2017) {
            const window = [0, 1, 2].map((back) => `${s.id}|${area}|${year - back}`);
            const pn = window.reduce((sum, w) => sum + n.get(w)!, 0);
            const pd = window.reduce((sum, w) => sum + d.get(w)!, 0);
            rows.push({indicator: s.id, area, year, kind: "pooled", n: pn, d: pd, withheld: primary(pn, pd) || window.some((w) => withheld.has(w))});
          }
        }
      }
    }
    const {cells, truth} = table(rows);
    expect(cells.length).toBe(31 * 5 * (8 + 6));
    const result = await auditPublishedTables(cells, specs, {parentOf}, {truth, pooledYears: 3});
    // every truth lies inside its range (auditRanges throws otherwise)
    expect(result.targets.length).toBeGreaterThan(500);
    expect(result.ranges.size).toBe(result.targets.length);
    expect(result.notes).toEqual([]);
    expect(result.stats.components).toBeGreaterThan(1);
    // this crude suppression leaks (shared denominators, the 2015/2016 years, …) but not everything
    expect(result.violations.length).toBeGreaterThan(0);
    expect(result.violations.length).toBeLessThan(result.targets.length);
    // i1–i3 share their denominators, so a withheld i1 cell next to a published i2 cell leaks it;
    // a withheld pair of small counts under a published district is too narrow
    expect(result.violations.some((v) => v.field === "denominator" && v.reason === "exact")).toBe(true);
    expect(result.violations.some((v) => v.field === "numerator" && v.reason === "too narrow")).toBe(true);
  });
});
