/**
 * Secondary suppression with protection levels (loaders/protection/secondary.ts) on small
 * hand-made trees; every expected state is worked out in the comments, and each result is
 * checked again by the LP attacker (lp-auditor.ts) where it matters.
 */
import {describe, expect, it} from "vitest";
import {buildAreaTree, protectFamilyYear, PRIMARY, PUBLISHED, SECONDARY, type FamilyMember} from "../../loaders/protection/secondary.ts";
import {auditPublishedTables, cellKey, type PublishedCell, type Truth} from "./lp-auditor.ts";

const member = (id: string, extra: Partial<FamilyMember> = {}): FamilyMember => ({id, protectNumerator: true, minCases: 5, minDenominator: 20, ...extra});

/** city "0" with districts "a".."e" (one level). */
function flatTree(ids: string[]) {
  return buildAreaTree([{id: "0", parent_id: null}, ...ids.map((id) => ({id, parent_id: "0"}))]);
}

function counts(tree: ReturnType<typeof flatTree>, values: Record<string, [number, number]>[]): {numerator: Float64Array[]; denominator: Float64Array[]} {
  return {
    numerator: values.map((v) => Float64Array.from(tree.ids, (id) => v[id]?.[0] ?? NaN)),
    denominator: values.map((v) => Float64Array.from(tree.ids, (id) => v[id]?.[1] ?? NaN))
  };
}

function statesById(tree: ReturnType<typeof flatTree>, states: Uint8Array): Record<string, number> {
  return Object.fromEntries(tree.ids.map((id, i) => [id, states[i]!]));
}

async function attack(tree: ReturnType<typeof flatTree>, values: Record<string, [number, number]>, states: Uint8Array, dw: Uint8Array) {
  const cells: PublishedCell[] = [];
  const truth: Truth = new Map();
  tree.ids.forEach((id, i) => {
    const [n, d] = values[id]!;
    const withheld = states[i] !== PUBLISHED;
    cells.push({indicator: "x", area: id, year: 2024, kind: "annual", numerator: withheld ? null : n, denominator: withheld && dw[i] ? null : d, rate: null, withheld});
    const small = (v: number, limit: number) => v > 0 && v < limit;
    truth.set(cellKey({indicator: "x", area: id, year: 2024, kind: "annual"}), {numerator: n, denominator: d, sensitive: {numerator: small(n, 5), complement: small(d - n, 5), denominator: small(d, 20)}});
  });
  const parentOf = new Map(tree.ids.map((id, i) => [id, tree.parent[i]! < 0 ? null : tree.ids[tree.parent[i]!]!]));
  return auditPublishedTables(cells, [{id: "x", kind: "proportion", denominatorCell: "d"}], {parentOf}, {truth, width: 3});
}

describe("protectFamilyYear", () => {
  it("a small numerator gets the cheapest sibling that gives ±3: not the tiny one, not the big one", () => {
    // a: 2 of 50 (sensitive). Needs partners with N ≥ 3 (upward) and C ≥ 2 (downward).
    // b: 1 of 30 has N = 1 – too few; c: 10 of 40 suffices and costs 40 children; d: 30 of 400 costs 400.
    const tree = flatTree(["a", "b", "c", "d"]);
    const values = {"0": [43, 520] as [number, number], a: [2, 50] as [number, number], b: [1, 30] as [number, number], c: [10, 40] as [number, number], d: [30, 400] as [number, number]};
    const {states} = protectFamilyYear(tree, [member("x")], counts(tree, [values]), 3);
    // b is sensitive itself (1 case) and protected together with a: a + b carry N 2 + 1 = 3 ≥ 3 up for each
    // other? a needs Σ N(partners) ≥ 3: b gives 1 → c (cheaper than d) is added; b needs 3: a (2) + c (3) ✓
    expect(statesById(tree, states[0]!)).toEqual({"0": PUBLISHED, a: PRIMARY, b: PRIMARY, c: SECONDARY, d: PUBLISHED});
  });

  it("the complement rule: 244 of 247 is sensitive and protected", async () => {
    // s: 244 of 247 (3 without the second measles dose); t: 180 of 200, u: 295 of 300.
    // C-requirement: C(s) up by 3 → a partner with C ≥ 3 for the NC move; t has C = 20 (cost 200), u C = 5 (cost 300) → t.
    const tree = flatTree(["s", "t", "u"]);
    const values = {"0": [719, 747] as [number, number], s: [244, 247] as [number, number], t: [180, 200] as [number, number], u: [295, 300] as [number, number]};
    const {states, denominatorWithheld} = protectFamilyYear(tree, [member("x")], counts(tree, [values]), 3);
    expect(statesById(tree, states[0]!)).toEqual({"0": PUBLISHED, s: PRIMARY, t: SECONDARY, u: PUBLISHED});
    const audit = await attack(tree, values, states[0]!, denominatorWithheld);
    // the attacker: C(s) + C(t) = 23, each in [0, 23]; N(s) ∈ [224, 247]
    expect(audit.violations).toEqual([]);
    expect(audit.ranges.get("x|s|2024|annual#complement")).toEqual({min: 0, max: 23});
  });

  it("a small denominator withholds the whole family at that area, with a partner that hides ≥ 3 children", () => {
    // two indicators share the examined children; area p has 12 examined (< 20): both indicators withheld at p,
    // and the family needs a sibling withheld at denominator level: q (25, cheaper than r 300).
    const tree = flatTree(["p", "q", "r"]);
    const one = {"0": [40, 337] as [number, number], p: [6, 12] as [number, number], q: [10, 25] as [number, number], r: [24, 300] as [number, number]};
    const two = {"0": [100, 337] as [number, number], p: [6, 12] as [number, number], q: [9, 25] as [number, number], r: [85, 300] as [number, number]};
    const {states, denominatorWithheld} = protectFamilyYear(tree, [member("one"), member("two")], counts(tree, [one, two]), 3);
    expect(statesById(tree, states[0]!)).toEqual({"0": PUBLISHED, p: PRIMARY, q: SECONDARY, r: PUBLISHED});
    expect(statesById(tree, states[1]!)).toEqual({"0": PUBLISHED, p: PRIMARY, q: SECONDARY, r: PUBLISHED});
    expect(statesById(tree, denominatorWithheld)).toEqual({"0": 0, p: 1, q: 1, r: 0});
  });

  it("a withheld district with parts needs withheld parts (downward chain)", () => {
    // city → districts A (4 of 60), B (40 of 200); A's parts a1 (2 of 30), a2 (2 of 30); B's parts b1, b2 large.
    // A is sensitive and gets B as partner; a1, a2 are sensitive themselves. B withheld needs a withheld part: b1 (cheaper).
    const tree = buildAreaTree([
      {id: "0", parent_id: null}, {id: "A", parent_id: "0"}, {id: "B", parent_id: "0"},
      {id: "a1", parent_id: "A"}, {id: "a2", parent_id: "A"}, {id: "b1", parent_id: "B"}, {id: "b2", parent_id: "B"}
    ]);
    const v: Record<string, [number, number]> = {"0": [44, 260], A: [4, 60], B: [40, 200], a1: [2, 30], a2: [2, 30], b1: [15, 80], b2: [25, 120]};
    const {states} = protectFamilyYear(tree, [member("x")], counts(tree as never, [v]), 3);
    const s = Object.fromEntries(tree.ids.map((id, i) => [id, states[0]![i]]));
    expect(s).toEqual({"0": PUBLISHED, A: PRIMARY, B: SECONDARY, a1: PRIMARY, a2: PRIMARY, b1: SECONDARY, b2: PUBLISHED});
  });

  it("primary-only mode withholds exactly the sensitive cells", () => {
    const tree = flatTree(["a", "b", "c"]);
    const values = {"0": [20, 200] as [number, number], a: [2, 50] as [number, number], b: [8, 70] as [number, number], c: [10, 80] as [number, number]};
    const {states} = protectFamilyYear(tree, [member("x")], counts(tree, [values]), 3, {primaryOnly: true});
    expect(statesById(tree, states[0]!)).toEqual({"0": PUBLISHED, a: PRIMARY, b: PUBLISHED, c: PUBLISHED});
  });
});
