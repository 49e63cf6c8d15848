import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {chartFrame} from "../../src/components/chartFrame.ts";
import {yearSeries} from "../../src/components/series.ts";
import {smallMultiples} from "../../src/components/smallMultiples.ts";
import type {IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "x", title: "X", short_title: "X-Quote", definition: "", unit: "%", kind: "proportion", polarity: 1, source: "Q"};

function row(area_id: string, year: number, rate: number | null, suppressed: ValueRow["suppressed"] = null): ValueRow {
  return {
    year, area_id, name: area_id === "0" ? "Stadt" : `Bezirk ${area_id}`, level: "b", indicator_id: "x", numerator: null, denominator: null,
    rate, ci_lo: null, ci_hi: null, city_rate: 0.1, diff_city: null, signif: null, change_1y: null, change_ky: null, suppressed, synthetic: false
  };
}

const rows: ValueRow[] = [
  row("1", 2020, 0.1), row("1", 2021, 0.12), row("1", 2022, null, "primary"), row("1", 2023, 0.14),
  row("2", 2020, 0.2), row("2", 2021, 0.21), /* 2022 missing */ row("2", 2023, 0.2),
  row("3", 2020, 0.05), row("3", 2021, 0.06), row("3", 2022, 0.07), row("3", 2023, 0.08)
];
const cityRows = [2020, 2021, 2022, 2023].map((y) => row("0", y, 0.1 + (y - 2020) * 0.01));

describe("smallMultiples", () => {
  test("one panel per area, each with own svg, area line and grey city line", () => {
    const {document} = new JSDOM("").window;
    const el = smallMultiples(rows, {meta, cityRows, document, columns: 2});
    const panels = el.querySelectorAll(".cn-panel");
    expect(panels).toHaveLength(3);
    expect(Array.from(panels, (p) => p.getAttribute("data-export-label"))).toEqual(["Bezirk 1", "Bezirk 2", "Bezirk 3"]);
    expect(el.querySelector(".cn-small-multiples")?.getAttribute("style")).toContain("repeat(2,");
    for (const p of Array.from(panels)) {
      expect(p.querySelectorAll("svg")).toHaveLength(1);
      expect(p.querySelectorAll("g.cn-line path")).toHaveLength(1);
      expect(p.querySelector("g.cn-city")?.getAttribute("stroke")).toBe("#6e6e6e");
    }
  });

  test("suppressed year: gap in the line and × marker labelled geheim; no dot, not 0", () => {
    const {document} = new JSDOM("").window;
    const el = smallMultiples(rows, {meta, cityRows, document});
    const [p1, p2, p3] = Array.from(el.querySelectorAll(".cn-panel"));
    expect(p1?.querySelectorAll("g.cn-dots circle")).toHaveLength(3);
    const marks = p1?.querySelectorAll("g.cn-suppressed text");
    expect(marks).toHaveLength(1);
    expect(marks?.[0]?.firstChild?.textContent).toBe("×");
    expect(marks?.[0]?.querySelector("title")?.textContent).toBe("2022: geheim (kleine Fallzahl)");
    // the line breaks: two subpaths (M … M …)
    const d = p1?.querySelector("g.cn-line path")?.getAttribute("d") ?? "";
    expect(d.match(/M/g)).toHaveLength(2);
    // missing year: gap but no ×
    expect(p2?.querySelectorAll("g.cn-suppressed text")).toHaveLength(0);
    expect((p2?.querySelector("g.cn-line path")?.getAttribute("d") ?? "").match(/M/g)).toHaveLength(2);
    expect(p3?.querySelectorAll("g.cn-dots circle")).toHaveLength(4);
    expect(p1?.querySelector("svg")?.getAttribute("aria-label")).toBe("Bezirk 1: 2020 10,0\u00a0%, 2023 14,0\u00a0%; geheim: 2022");
  });

  test("series: suppressed and missing years are null values with their status", () => {
    const s = yearSeries(rows.filter((r) => r.area_id === "1"), [2020, 2021, 2022, 2023]);
    expect(s.map((p) => p.value)).toEqual([0.1, 0.12, null, 0.14]);
    expect(s.map((p) => p.status)).toEqual(["value", "value", "suppressed", "value"]);
    expect(yearSeries([], [2020])[0]?.status).toBe("missing");
  });

  test("in chartFrame the grid carries role=img and the summary", () => {
    const {document} = new JSDOM("").window;
    const fig = chartFrame(smallMultiples(rows, {meta, cityRows, document}), {title: "T", source: "Quelle: Q, 2023", summary: "S.", document});
    const grid = fig.querySelector(".cn-small-multiples");
    expect(grid?.getAttribute("role")).toBe("img");
    expect(grid?.getAttribute("aria-label")).toBe("S.");
  });
});
