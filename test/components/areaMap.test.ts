import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {areaMap, diffThresholds, mapData, MAX_UNPLACED_TILES, PROJECT_ONCE_AREAS, valueThresholds} from "../../src/components/areaMap.ts";
import {chartFrame} from "../../src/components/chartFrame.ts";
import type {AreaRow, IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "sgb2_u15", title: "SGB-II-Quote unter 15 Jahren", short_title: "SGB-II-Quote u15", definition: "", unit: "%", kind: "proportion", polarity: 1, source: "Jobcenter"};

// clockwise squares (exterior rings as d3 expects them)
const square = (x: number, y: number) => ({type: "Polygon" as const, coordinates: [[[x, y], [x, y + 0.05], [x + 0.05, y + 0.05], [x + 0.05, y], [x, y]]]});
const ids = ["1", "2", "3", "4", "5", "6"];
const areas: AreaRow[] = ids.map((id, i) => ({
  area_id: id,
  name: `Bezirk ${id}`,
  level: "stadtbezirk",
  parent_id: "0",
  geometry: square(7.1 + (i % 3) * 0.05, 51.4 + Math.floor(i / 3) * 0.05),
  tile_row: Math.floor(i / 3),
  tile_col: i % 3
}));

function row(area_id: string, rate: number | null, extra: Partial<ValueRow> = {}): ValueRow {
  return {
    year: 2024, area_id, name: `Bezirk ${area_id}`, level: "stadtbezirk", indicator_id: "sgb2_u15",
    numerator: rate == null ? null : Math.round(rate * 1000), denominator: rate == null ? null : 1000, rate,
    ci_lo: rate == null ? null : rate - 0.02, ci_hi: rate == null ? null : rate + 0.02, city_rate: 0.15,
    diff_city: rate == null ? null : 100 * (rate - 0.15), signif: rate == null ? null : rate > 0.18 ? 1 : rate < 0.12 ? -1 : 0,
    change_1y: null, change_ky: null, suppressed: null, synthetic: true, ...extra
  };
}

// 1–4 values, 5 suppressed, 6 without any row (missing)
const rows: ValueRow[] = [row("1", 0.1), row("2", 0.15), row("3", 0.2), row("4", 0.25), row("5", null, {suppressed: "primary"})];

function dom() {
  return new JSDOM("<!doctype html><body></body>").window.document;
}

describe("areaMap (geo)", () => {
  test("one path per area and status; suppressed hatched and labelled, missing distinct", () => {
    const document = dom();
    const el = areaMap(rows, {areas, meta, document});
    expect(el.localName).toBe("div");
    const svg = el.querySelector(":scope > svg") as SVGSVGElement;
    expect(svg).not.toBeNull();
    expect(el.querySelectorAll("g.cn-areas path")).toHaveLength(4);
    const suppressed = el.querySelectorAll("g.cn-suppressed path");
    expect(suppressed).toHaveLength(1);
    const hatchId = svg.querySelector("defs pattern")?.getAttribute("id");
    expect(el.querySelector("g.cn-suppressed")?.getAttribute("fill")).toBe(`url(#${hatchId})`);
    expect(suppressed[0]?.querySelector("title")?.textContent).toBe("Bezirk 5 (2024)\ngeheim (kleine Fallzahl)");
    const missing = el.querySelector("g.cn-missing");
    expect(missing?.querySelectorAll("path")).toHaveLength(1);
    expect(missing?.getAttribute("fill")).toBe("#ffffff");
    expect(missing?.getAttribute("stroke-dasharray")).toBe("3,2");
    expect(missing?.querySelector("title")?.textContent).toBe("Bezirk 6\nkeine Daten");
    const labels = Array.from(el.querySelectorAll("g.cn-labels text"), (t) => Array.from(t.querySelectorAll("tspan"), (s) => s.textContent).join(" "));
    expect(labels).toContain("Bezirk 5 geheim");
    expect(labels).toContain("Bezirk 6 keine Daten");
    expect(labels).toContain("Bezirk 1 10,0\u00a0%");
    // suppressed is never drawn as a value (no 0)
    expect(labels.find((l) => l.startsWith("Bezirk 5"))).toBe("Bezirk 5 geheim");
    expect(labels.join(" ")).not.toMatch(/(^|\s)0,0\u00a0%/);
    // legend: German title, status entries
    const legend = el.querySelector(".cn-legend");
    expect(legend?.querySelector(".cn-legend-title")?.textContent).toBe("SGB-II-Quote u15 in %");
    const items = Array.from(legend?.querySelectorAll(".cn-legend-item") ?? [], (li) => li.getAttribute("data-label"));
    expect(items).toContain("geheim (kleine Fallzahl)");
    expect(items).toContain("keine Daten");
    expect(svg.getAttribute("aria-label")).toBe("Karte: SGB-II-Quote u15");
  });

  test("tooltip with value, interval, city value, difference, significance and its reading by polarity", () => {
    const el = areaMap(rows, {areas, meta, document: dom()});
    const titles = Array.from(el.querySelectorAll("g.cn-areas path title"), (t) => t.textContent);
    expect(titles).toContain(
      "Bezirk 4 (2024)\nWert: 25,0\u00a0%\n95-%-Intervall: 23,0–27,0\u00a0%\nStadt: 15,0\u00a0%\nAbweichung: +10,0\u00a0Pp.\nstatistisch gesichert über dem Stadtwert – ungünstiger"
    );
    // SGB II has polarity +1: above the city value is unfavourable; without a direction no reading
    const neutral = areaMap(rows, {areas, meta: {...meta, polarity: 0}, document: dom()});
    expect(Array.from(neutral.querySelectorAll("g.cn-areas path title"), (t) => t.textContent)).toContain(
      "Bezirk 4 (2024)\nWert: 25,0\u00a0%\n95-%-Intervall: 23,0–27,0\u00a0%\nStadt: 15,0\u00a0%\nAbweichung: +10,0\u00a0Pp.\nstatistisch gesichert über dem Stadtwert"
    );
  });

  test("fills follow the binned scale (darker for higher values)", () => {
    const {data} = mapData(rows, {areas, meta});
    const fills = data.slice(0, 4).map((d) => d.fill);
    expect(new Set(fills).size).toBeGreaterThan(1);
    expect(data[4]?.status).toBe("suppressed");
    expect(data[5]?.status).toBe("missing");
  });

  test("diff mode: significant areas outlined, diverging legend in Pp.", () => {
    const el = areaMap(rows, {areas, meta, mode: "diff", document: dom()});
    expect(el.querySelectorAll("g.cn-signif path")).toHaveLength(3); // 0.1 below, 0.2 and 0.25 above
    const legend = Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"));
    expect(legend.some((l) => l?.includes("Pp."))).toBe(true);
    expect(el.querySelector(".cn-legend-title")?.textContent).toBe("Abweichung vom Stadtwert in Prozentpunkten");
  });

  test("class mode: need classes with German labels", () => {
    const classRows = [row("1", 1), row("2", 2), row("3", 3), row("4", 4), row("5", null, {suppressed: "secondary"})];
    const el = areaMap(classRows, {areas, meta, mode: "class", document: dom()});
    const legend = Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"));
    expect(legend.slice(0, 4)).toEqual(["1 niedrig", "2 mittel", "3 hoch", "4 sehr hoch"]);
    const fills = Array.from(el.querySelectorAll("g.cn-areas path"), (p) => p.getAttribute("fill"));
    expect(fills).toEqual(["#fed98e", "#fe9929", "#d95f0e", "#993404"]);
    expect(el.querySelectorAll("g.cn-suppressed path")).toHaveLength(1);
    const titles = Array.from(el.querySelectorAll("g.cn-areas title"), (t) => t.textContent);
    expect(titles[3]).toBe("Bezirk 4\nBedarfsklasse: 4 sehr hoch");
  });

  test("points and outline", () => {
    const el = areaMap(rows, {
      areas,
      meta,
      points: [{lon: 7.12, lat: 51.42, name: "Kita Sonnenschein"}],
      pointsLabel: "Kitas",
      outline: {type: "Polygon", coordinates: [[[7.1, 51.4], [7.1, 51.5], [7.25, 51.5], [7.25, 51.4], [7.1, 51.4]]]},
      document: dom()
    });
    expect(el.querySelectorAll("g.cn-points circle")).toHaveLength(1);
    expect(el.querySelector("g.cn-points title")?.textContent).toBe("Kita Sonnenschein");
    expect(el.querySelectorAll("g.cn-outline path")).toHaveLength(1);
    expect(Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"))).toContain("Kitas");
  });

  test("inside chartFrame the map svg gets role=img and the summary", () => {
    const document = dom();
    const fig = chartFrame(areaMap(rows, {areas, meta, document}), {title: "T", source: "Quelle: X, 2024", summary: "Zusammenfassung.", document});
    const svg = fig.querySelector(".cn-map > svg");
    expect(svg?.getAttribute("role")).toBe("img");
    expect(svg?.getAttribute("aria-label")).toBe("Zusammenfassung.");
    expect(fig.querySelectorAll('[role="img"]')).toHaveLength(1);
  });
});

describe("areaMap (tiles, no geometry)", () => {
  const tiles = areas.map((a) => ({...a, geometry: null}));
  test("one rect per area with names; suppressed and missing distinct", () => {
    const el = areaMap(rows, {areas: tiles, meta, document: dom()});
    expect(el.querySelectorAll("g.cn-areas rect")).toHaveLength(4);
    expect(el.querySelectorAll("g.cn-suppressed rect")).toHaveLength(1);
    expect(el.querySelectorAll("g.cn-missing rect")).toHaveLength(1);
    expect(el.querySelector("g.cn-suppressed")?.getAttribute("fill")).toMatch(/^url\(#cn-geheim-\d+\)$/);
    const labels = Array.from(el.querySelectorAll("g.cn-labels text"), (t) => Array.from(t.querySelectorAll("tspan"), (s) => s.textContent).join(" "));
    expect(labels).toEqual(["Bezirk 1 10,0\u00a0%", "Bezirk 2 15,0\u00a0%", "Bezirk 3 20,0\u00a0%", "Bezirk 4 25,0\u00a0%", "Bezirk 5 geheim", "Bezirk 6 keine Daten"]);
  });

  test("label text has ≥ 4.5:1 contrast on its tile", async () => {
    const {contrastRatio} = await import("../../src/components/palettes.ts");
    const {data} = mapData(rows, {areas: tiles, meta});
    for (const d of data.filter((d) => d.status === "value")) expect(contrastRatio(d.fill, d.text)).toBeGreaterThanOrEqual(4.5);
  });
});

describe("thresholds", () => {
  test("value thresholds are round and inside the range", () => {
    expect(valueThresholds([0.1, 0.15, 0.2, 0.25])).toEqual([0.15, 0.2]);
    expect(valueThresholds([0.3])).toEqual([]);
  });
  test("diff thresholds are symmetric", () => {
    expect(diffThresholds([-5, 10])).toEqual([-10, -5, 5, 10]);
    expect(diffThresholds([])).toEqual([-2, -1, 1, 2]);
  });
});

describe("areaMap without geometry and tile positions", () => {
  const many = (n: number): AreaRow[] => Array.from({length: n}, (_, i) => ({area_id: `b${i}`, name: `Bezirk ${i}`, level: "bezirk", parent_id: "0", geometry: null, tile_row: null, tile_col: null}));

  test(`up to ${MAX_UNPLACED_TILES} unplaced areas still get a tile map`, () => {
    const el = areaMap([], {areas: many(MAX_UNPLACED_TILES), meta, document: dom()});
    expect(el.querySelector("svg")).not.toBeNull();
    expect(el.classList.contains("cn-map-none")).toBe(false);
  });

  test("more unplaced areas: a note instead of a grid of thousands of tiles", () => {
    const el = areaMap([], {areas: many(2000), meta, document: dom()});
    expect(el.querySelector("svg")).toBeNull();
    expect(el.classList.contains("cn-map-none")).toBe(true);
    expect(el.textContent).toBe("Keine Karte: Für 2.000 Gebiete dieser Ebene gibt es weder Umrisse noch eine Kachelposition. Die Werte stehen in den Diagrammen und Tabellen dieser Seite.");
  });
});

describe("areaMap with many areas", () => {
  const n = PROJECT_ONCE_AREAS + 100;
  const grid: AreaRow[] = Array.from({length: n}, (_, i) => ({
    area_id: `g${i}`, name: `Bezirk ${i}`, level: "bezirk", parent_id: "0",
    geometry: square(7 + (i % 20) * 0.05, 51 + Math.floor(i / 20) * 0.05), tile_row: null, tile_col: null
  }));
  const manyRows = grid.map((a, i) => ({...row("1", 0.05 + (i % 10) / 50), area_id: a.area_id, name: a.name, level: "bezirk"}));

  test("outlines projected once per set of areas and width; every area drawn, no status labels", () => {
    const first = areaMap(manyRows, {areas: grid, meta, width: 600, document: dom()});
    const paths = first.querySelectorAll("svg g.cn-areas path");
    expect(paths).toHaveLength(n);
    const svg = paths[0]!.closest("svg")!;
    expect(Number(svg.getAttribute("width"))).toBe(600);
    // all outlines inside the drawing
    const coords = Array.from(paths, (p) => p.getAttribute("d") ?? "").join(" ").match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(Math.min(...coords)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...coords)).toBeLessThanOrEqual(Math.max(600, Number(svg.getAttribute("height"))) + 1);
    // another indicator on the same areas: same outlines
    const second = areaMap(manyRows.map((r) => ({...r, rate: 0.3})), {areas: grid, meta, width: 600, document: dom()});
    expect(second.querySelector("svg g.cn-areas path")?.getAttribute("d")).toBe(paths[0]?.getAttribute("d"));
    expect(first.querySelectorAll("g.cn-labels text")).toHaveLength(0);
  });
});
