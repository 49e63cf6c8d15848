import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {coverageBars} from "../../src/components/coverageBars.ts";
import {needScatter} from "../../src/components/needScatter.ts";
import {profileBars, profileDiff} from "../../src/components/profileBars.ts";
import {chartWidth} from "../../src/components/plot.ts";
import type {IndicatorMeta, ValueRow} from "../../src/components/types.ts";
import {kitaGaps, missingPlaces} from "../../src/lib/kita.ts";
import {joinNames, rankingFinding, rankingSummary} from "../../src/lib/data.ts";

const document = () => new JSDOM("").window.document;
const pct = (id: string, polarity: 1 | -1 | 0, extra: Partial<IndicatorMeta> = {}): IndicatorMeta => ({id, title: id, short_title: id, definition: "", unit: "%", kind: "proportion", polarity, source: "Test", ...extra});
function row(area_id: string, name: string, rate: number | null, extra: Partial<ValueRow> = {}): ValueRow {
  return {year: 2024, area_id, name, level: "bezirk", indicator_id: "x", numerator: null, denominator: null, rate, ci_lo: null, ci_hi: null, city_rate: 0.2, diff_city: null, signif: 0, change_1y: null, change_ky: null, suppressed: null, synthetic: false, ...extra};
}

describe("chartWidth", () => {
  test("never returns less than 280 px, and uses the fallback for 0 or undefined", () => {
    expect(chartWidth(0)).toBe(640);
    expect(chartWidth(undefined, 420)).toBe(420);
    expect(chartWidth(120)).toBe(280);
    expect(chartWidth(900)).toBe(900);
  });
});

describe("Kita gaps", () => {
  test("missing places = ceil(target × children) − places, never negative", () => {
    // 0,45 × 200 = 90 places needed; 70 available → 20 missing
    expect(missingPlaces(70, 200, 0.45)).toBe(20);
    // 0,45 × 201 = 90,45 → 91 needed
    expect(missingPlaces(70, 201, 0.45)).toBe(21);
    expect(missingPlaces(100, 200, 0.45)).toBe(0);
  });
  test("areas sorted by missing places, suppressed cells without numbers", () => {
    const gaps = kitaGaps([
      row("1", "A", 0.35, {numerator: 70, denominator: 200}),
      row("2", "B", 0.3, {numerator: 30, denominator: 100}),
      row("3", "C", null, {suppressed: "primary"})
    ], 0.45);
    expect(gaps.map((g) => [g.name, g.missing])).toEqual([["A", 20], ["B", 15], ["C", null]]);
    expect(gaps[2]!.suppressed).toBe(true);
  });
  test("coverageBars draws one bar per area with a value and the target rule", () => {
    const doc = document();
    const el = coverageBars(kitaGaps([row("1", "A", 0.35, {numerator: 70, denominator: 200}), row("2", "B", 0.5, {numerator: 50, denominator: 100}), row("3", "C", null, {suppressed: "primary"})], 0.45), {meta: pct("kita", -1), target: 0.45, document: doc});
    const svg = el.querySelector("svg:not(.cn-legend svg)")!;
    expect(svg.querySelectorAll("rect").length).toBeGreaterThanOrEqual(2);
    expect(svg.textContent).toContain("Ziel: 45,0\u00a0%");
    expect(svg.textContent).toContain("geheim");
    expect(svg.textContent).toContain("20 fehlen");
  });
});

describe("profileBars", () => {
  const rows = [
    {meta: pct("sgb2", 1), row: row("1", "A", 0.3, {signif: 1})}, // +10 Pp., unfavourable, certain
    {meta: pct("u9", -1), row: row("1", "A", 0.25, {signif: 0})}, // +5 Pp., favourable, uncertain
    {meta: pct("lang", 1), row: row("1", "A", null, {suppressed: "secondary"})}
  ];
  test("difference to the city in percentage points", () => {
    expect(profileDiff(rows[0]!)).toBeCloseTo(10, 12);
    expect(profileDiff(rows[2]!)).toBeNull();
  });
  test("orange for unfavourable, purple for favourable, suppressed without bar", () => {
    const el = profileBars(rows, {width: 800, document: document()});
    const bars = [...el.querySelectorAll("svg:not(.cn-legend svg) rect")].filter((r) => r.getAttribute("fill") && r.getAttribute("fill") !== "none");
    expect(bars).toHaveLength(2);
    const fills = bars.map((b) => b.getAttribute("fill"));
    expect(fills[0]).not.toBe(fills[1]);
    expect(el.textContent).toContain("geheim");
    expect(el.textContent).toContain("+10,0\u00a0Pp.");
  });
});

describe("needScatter", () => {
  test("one dot per area with need and € per child, and the city rule", () => {
    const el = needScatter([
      {area_id: "1", name: "A", need: 1.2, need_class: 3, per_child: 12},
      {area_id: "2", name: "B", need: -0.5, need_class: 2, per_child: 8},
      {area_id: "3", name: "C", need: null, need_class: null, per_child: 5}
    ], {cityPerChild: 9, document: document()});
    expect(el.querySelectorAll("svg:not(.cn-legend svg) circle")).toHaveLength(2);
    expect(el.textContent).toContain("Stadt: 9\u00a0€ je Kind");
  });
});

describe("generated titles and summaries", () => {
  const meta = pct("sgb2_u15", 1, {title: "SGB II unter 15", short_title: "SGB II"});
  test("names the highest area and the significant deviations", () => {
    const rows = [row("1", "Mitte", 0.35, {signif: 1}), row("2", "Süd", 0.1, {signif: -1}), row("3", "Nord", 0.2, {signif: 0})];
    expect(rankingFinding(rows, meta)).toBe("Mitte hat mit 35,0\u00a0% den höchsten Wert – gemessen am Stadtwert 1 Gebiet liegt deutlich darüber, 1 deutlich darunter");
    expect(rankingSummary(rows, meta, 2024, "Stadtbezirk")).toBe("SGB II unter 15 2024 nach Stadtbezirk: Stadtwert 20,0\u00a0%, höchster Wert Mitte (35,0\u00a0%), niedrigster Wert Süd (10,0\u00a0%).");
  });
  test("ties, no deviation, suppressed cells", () => {
    const rows = [row("1", "A", 0.3), row("2", "B", 0.3), row("3", "C", null, {suppressed: "primary"})];
    expect(rankingFinding(rows, meta)).toBe("A und B haben mit 30,0\u00a0% die höchsten Werte; kein Gebiet weicht deutlich vom Stadtwert ab");
    expect(rankingSummary(rows, meta, 2024, "Bezirk")).toMatch(/1 Wert ist wegen kleiner Fallzahlen geheim\.$/);
    expect(joinNames(["A", "B", "C"])).toBe("A, B und C");
  });
});
