import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {allocationBars, CURRENT_COLOR, PROPOSED_COLOR} from "../../src/components/allocationBars.ts";

const rows = [
  {area_id: "1", name: "Mitte", current: 100000, proposed: 80000},
  {area_id: "2", name: "Wattenscheid", current: 60000, proposed: 120000},
  {area_id: "3", name: "Ost", current: 50000, proposed: 50000}
];

describe("allocationBars", () => {
  test("two bars per area, sorted by proposal, amounts as text", () => {
    const {document} = new JSDOM("").window;
    const el = allocationBars(rows, {document});
    const rects = Array.from(el.querySelectorAll("g.cn-bars rect"));
    expect(rects).toHaveLength(6);
    expect(rects.filter((r) => r.getAttribute("fill") === CURRENT_COLOR)).toHaveLength(3);
    expect(rects.filter((r) => r.getAttribute("fill") === PROPOSED_COLOR)).toHaveLength(3);
    const facets = Array.from(el.querySelectorAll('g[data-mark="fy-axis tick label"] text'), (t) => t.textContent);
    expect(facets).toEqual(["Wattenscheid", "Mitte", "Ost"]);
    const labels = Array.from(el.querySelectorAll("g.cn-bar-labels text"), (t) => t.textContent);
    expect(labels).toContain("120.000\u00a0€");
    expect(rects.map((r) => r.querySelector("title")?.textContent)).toContain("Wattenscheid\nVorschlag: 120.000\u00a0€");
    expect(Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"))).toEqual(["bisher", "Vorschlag"]);
  });

  test("custom labels", () => {
    const {document} = new JSDOM("").window;
    const el = allocationBars(rows, {document, currentLabel: "2024", proposedLabel: "2025 (Vorschlag)"});
    expect(Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"))).toEqual(["2024", "2025 (Vorschlag)"]);
  });
});
