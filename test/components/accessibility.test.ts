import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {allocationBars} from "../../src/components/allocationBars.ts";
import {areaMap, tilePositions, mapData} from "../../src/components/areaMap.ts";
import {chainMatrix} from "../../src/components/chainMatrix.ts";
import {chartFrame} from "../../src/components/chartFrame.ts";
import {concentrationCurve} from "../../src/components/concentrationCurve.ts";
import {exportSvg} from "../../src/components/exportSvg.ts";
import {keyFigure} from "../../src/components/keyFigure.ts";
import {MISSING_ITEM, SUPPRESSED_ITEM, swatchLegend, thresholdItems} from "../../src/components/legend.ts";
import {tidyAria} from "../../src/components/plot.ts";
import {rankingDots} from "../../src/components/rankingDots.ts";
import {smallMultiples} from "../../src/components/smallMultiples.ts";
import {trendChart} from "../../src/components/trendChart.ts";
import type {AreaRow, IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "x", title: "X", short_title: "X-Quote", definition: "", unit: "%", kind: "proportion", polarity: 1, source: "Q"};

function row(area_id: string, year: number, rate: number | null, suppressed: ValueRow["suppressed"] = null): ValueRow {
  return {
    year, area_id, name: `Gebiet ${area_id}`, level: "b", indicator_id: "x", numerator: null, denominator: null, rate,
    ci_lo: rate == null ? null : rate - 0.01, ci_hi: rate == null ? null : rate + 0.01, city_rate: 0.1, diff_city: null,
    signif: rate == null ? null : 0, change_1y: null, change_ky: null, suppressed, synthetic: true
  };
}
const areas: AreaRow[] = ["1", "2", "3"].map((id, i) => ({area_id: id, name: `Gebiet ${id}`, level: "b", parent_id: "0", geometry: null, tile_row: 0, tile_col: i}));
const rows = [row("1", 2024, 0.1), row("2", 2024, null, "primary"), row("3", 2024, 0.2)];
const series = [2022, 2023, 2024].flatMap((y) => [row("1", y, 0.1), row("3", y, 0.2)]);

function all(document: Document): [string, Element][] {
  return [
    ["areaMap", areaMap(rows, {areas, meta, document})],
    ["rankingDots", rankingDots(rows, {meta, document})],
    ["smallMultiples", smallMultiples(series, {meta, document})],
    ["trendChart", trendChart(series.filter((r) => r.area_id === "1"), {meta, document})],
    ["keyFigure", keyFigure({label: "X", value: 0.1, previous: 0.09, meta, series: [{year: 2023, value: 0.09}, {year: 2024, value: 0.1}], document})],
    ["concentrationCurve", concentrationCurve([{x: 0.5, y: 0.6}, {x: 1, y: 1}], {index: 0.1, document})],
    ["allocationBars", allocationBars([{area_id: "1", name: "A", current: 1, proposed: 2}], {document})],
    ["chainMatrix", chainMatrix([{life_phase: "0-3", handlungsfeld: "I", measures: 1, amount: 10, gap: false}], {document})]
  ];
}

describe("accessibility of all components", () => {
  test("no aria-label on <g> without role (axe aria-prohibited-attr); charts are named", () => {
    const {document} = new JSDOM("").window;
    for (const [name, el] of all(document)) {
      expect(el.querySelectorAll("g[aria-label], g[aria-description]").length, name).toBe(0);
      const named = el.matches("[aria-label]") || el.querySelector("svg[aria-label]") != null;
      expect(named, name).toBe(true);
    }
  });

  test("legend swatches are decorative; legend labels are text", () => {
    const {document} = new JSDOM("").window;
    for (const [name, el] of all(document)) {
      for (const svg of Array.from(el.querySelectorAll(".cn-legend svg"))) expect(svg.getAttribute("aria-hidden"), name).toBe("true");
    }
  });

  test("every chart in a chartFrame gets exactly one role=img with the summary", () => {
    const {document} = new JSDOM("").window;
    for (const [name, el] of all(document)) {
      if (name === "keyFigure") continue;
      const figure = chartFrame(el, {title: name, source: "Quelle: Q, 2024", summary: `Kurzfassung ${name}.`, synthetic: true, document});
      const images = figure.querySelectorAll('[role="img"]');
      expect(images.length, name).toBe(1);
      expect(images[0]?.getAttribute("aria-label"), name).toBe(`Kurzfassung ${name}.`);
      expect(figure.querySelector(".cn-badge"), name).not.toBeNull();
    }
  });

  test("tidyAria moves group names to data-mark", () => {
    const {document} = new JSDOM("").window;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const g = document.createElementNS("http://www.w3.org/2000/svg", "g");
    g.setAttribute("aria-label", "line");
    g.setAttribute("aria-description", "x");
    svg.append(g);
    tidyAria(svg);
    expect(g.getAttribute("data-mark")).toBe("line");
    expect(g.hasAttribute("aria-label")).toBe(false);
    expect(g.hasAttribute("aria-description")).toBe(false);
  });
});

describe("legend", () => {
  test("threshold labels in German", () => {
    const items = thresholdItems([0.1, 0.2], ["#a", "#b", "#c"], (v) => `${v * 100} %`);
    expect(items.map((i) => i.label)).toEqual(["unter 10 %", "10 % bis unter 20 %", "20 % und mehr"]);
  });
  test("status items: hatch for geheim, dashed white for keine Daten", () => {
    const {document} = new JSDOM("").window;
    const legend = swatchLegend([SUPPRESSED_ITEM, MISSING_ITEM], {title: "Legende", document});
    const [secret, missing] = Array.from(legend.querySelectorAll("li"));
    expect(secret?.textContent).toBe("geheim (kleine Fallzahl)");
    expect(secret?.querySelector("pattern")).not.toBeNull();
    expect(missing?.textContent).toBe("keine Daten");
    expect(missing?.querySelector("rect")?.getAttribute("stroke-dasharray")).toBe("3,2");
    expect(legend.querySelector(".cn-legend-title")?.textContent).toBe("Legende");
  });
});

describe("tile map fallback and export", () => {
  test("areas without tile position go to an extra row", () => {
    const loose = [...areas, {...areas[0]!, area_id: "4", name: "Gebiet 4", tile_row: null, tile_col: null}];
    const {data} = mapData(rows, {areas: loose, meta});
    const tiles = tilePositions(data);
    expect(tiles.find((t) => t.area.area_id === "4")).toMatchObject({tileRow: 1, tileCol: 0});
    const {document} = new JSDOM("").window;
    const el = areaMap(rows, {areas: loose, meta, document});
    expect(el.querySelectorAll("g.cn-missing rect")).toHaveLength(1); // Gebiet 4 has no row
  });

  test("exportSvg lays out small multiples as a grid with panel titles", () => {
    const {document} = new JSDOM("").window;
    const el = smallMultiples(series, {meta, document, columns: 2});
    const svg = exportSvg(el, {title: "T", document});
    expect(svg.querySelectorAll(":scope > svg")).toHaveLength(2);
    const texts = Array.from(svg.querySelectorAll(":scope > text"), (t) => t.textContent);
    expect(texts).toContain("Gebiet 1");
    expect(texts).toContain("Gebiet 3");
  });
});
