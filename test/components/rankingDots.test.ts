import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {rankingDots, rankingOrder} from "../../src/components/rankingDots.ts";
import type {IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "seu_overweight", title: "Übergewicht", short_title: "Übergewicht", definition: "", unit: "%", kind: "proportion", polarity: 1, source: "SEU"};

function row(area_id: string, name: string, rate: number | null, signif: -1 | 0 | 1 | null, extra: Partial<ValueRow> = {}): ValueRow {
  return {
    year: 2024, area_id, name, level: "stadtbezirk", indicator_id: meta.id, numerator: null, denominator: null, rate,
    ci_lo: rate == null ? null : rate - 0.02, ci_hi: rate == null ? null : rate + 0.02, city_rate: 0.125, diff_city: null,
    signif, change_1y: null, change_ky: null, suppressed: null, synthetic: false, ...extra
  };
}

const rows: ValueRow[] = [
  row("1", "Mitte", 0.1, -1),
  row("2", "Wattenscheid", 0.2, 1),
  row("3", "Nord", null, null, {suppressed: "primary"}),
  row("4", "Ost", 0.13, 0),
  row("5", "Süd", null, null), // missing
  row("6", "Südwest", 0.12, 0, {ci_lo: null, ci_hi: null, signif: null})
];

function render() {
  const {document} = new JSDOM("").window;
  return rankingDots(rows, {meta, document});
}

describe("rankingDots", () => {
  test("order: values descending, then suppressed, then missing", () => {
    expect(rankingOrder(rows).map((r) => r.name)).toEqual(["Wattenscheid", "Ost", "Südwest", "Mitte", "Nord", "Süd"]);
    expect(rankingOrder(rows, "ascending").map((r) => r.name).slice(0, 4)).toEqual(["Mitte", "Südwest", "Ost", "Wattenscheid"]);
  });

  test("one dot per unsuppressed area, intervals where known", () => {
    const el = render();
    expect(el.querySelector("svg:not(.cn-legend svg)")).not.toBeNull();
    expect(el.querySelectorAll("g.cn-dots circle")).toHaveLength(4);
    expect(el.querySelectorAll("g.cn-intervals line")).toHaveLength(3);
  });

  test("significant dots filled, others hollow; ▲/▼ markers with titles", () => {
    const el = render();
    const dots = Array.from(el.querySelectorAll("g.cn-dots circle"));
    const fillOf = (name: string) => dots.find((c) => c.querySelector("title")?.textContent?.startsWith(name + " "))?.getAttribute("fill");
    expect(fillOf("Wattenscheid")).toBe("#1f5aa6");
    expect(fillOf("Mitte")).toBe("#1f5aa6");
    expect(fillOf("Ost")).toBe("#ffffff");
    const markers = Array.from(el.querySelectorAll("g.cn-markers text"));
    expect(markers.map((t) => t.firstChild?.textContent)).toEqual(["▲", "▼"]);
    expect(markers.map((t) => t.querySelector("title")?.textContent)).toEqual(["▲ über Stadtwert", "▼ unter Stadtwert"]);
    // Übergewicht has polarity +1: the legend reads above as unfavourable, below as favourable
    const legend = Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"));
    expect(legend).toContain("über Stadtwert (ungünstiger)");
    expect(legend).toContain("unter Stadtwert (günstiger)");
  });

  test("city rule labelled with the city value", () => {
    const el = render();
    expect(el.querySelectorAll("g.cn-city line")).toHaveLength(1);
    expect(el.querySelector("g.cn-city-label text")?.textContent).toBe("Stadt: 12,5\u00a0%");
  });

  test("suppressed: text geheim, no dot; missing: keine Daten – distinguishable", () => {
    const el = render();
    const secret = el.querySelectorAll("g.cn-suppressed text");
    expect(secret).toHaveLength(1);
    expect(secret[0]?.firstChild?.textContent).toBe("geheim");
    expect(secret[0]?.querySelector("title")?.textContent).toBe("Nord (2024)\ngeheim (kleine Fallzahl)");
    const missing = el.querySelectorAll("g.cn-missing text");
    expect(missing).toHaveLength(1);
    expect(missing[0]?.firstChild?.textContent).toBe("keine Daten");
    const dotTitles = Array.from(el.querySelectorAll("g.cn-dots title"), (t) => t.textContent ?? "");
    expect(dotTitles.some((t) => t.startsWith("Nord") || t.startsWith("Süd "))).toBe(false);
  });

  test("y axis shows names, in ranking order, suppressed at the bottom", () => {
    const el = render();
    const ticks = Array.from(el.querySelectorAll('g[data-mark="y-axis tick label"] text'), (t) => t.textContent);
    expect(ticks).toEqual(["Wattenscheid", "Ost", "Südwest", "Mitte", "Nord", "Süd"]);
  });

  test("aria-label on the chart", () => {
    const el = render();
    expect(el.querySelector(":scope > svg")?.getAttribute("aria-label")).toBe("Rangfolge: Übergewicht");
  });
});
