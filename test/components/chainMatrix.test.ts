import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {chainMatrix, handlungsfeldKey, lifePhaseKey} from "../../src/components/chainMatrix.ts";

const cells = [
  {life_phase: "schwangerschaft", handlungsfeld: "V", measures: 3, amount: 85800, gap: false},
  {life_phase: "0-3", handlungsfeld: "V", measures: 2, amount: 40000, gap: false},
  {life_phase: "0–3", handlungsfeld: "5", measures: 1, amount: 10000, gap: false}, // same cell, other spelling
  {life_phase: "10-16", handlungsfeld: "I", measures: 0, amount: 0, gap: true},
  {life_phase: "16-27", handlungsfeld: "VI", measures: 1, amount: 5000, gap: false}
];

describe("chainMatrix", () => {
  test("6 × 7 cells, rows and columns in German", () => {
    const {document} = new JSDOM("").window;
    const el = chainMatrix(cells, {document});
    expect(el.querySelectorAll("g.cn-cells rect")).toHaveLength(42);
    const rows = Array.from(el.querySelectorAll('g[data-mark="y-axis tick label"] text'), (t) => {
      const spans = t.querySelectorAll("tspan");
      return spans.length ? Array.from(spans, (s) => s.textContent).join(" ") : t.textContent;
    });
    expect(rows).toEqual(["Schwangerschaft und Geburt", "0–3", "3–6", "6–10", "10–16", "16–27"]);
    const cols = Array.from(el.querySelectorAll('g[data-mark="x-axis tick label"] text'), (t) => Array.from(t.querySelectorAll("tspan"), (s) => s.textContent).join(" "));
    expect(cols[0]).toBe("I Partizipation");
    expect(cols[6]).toBe("VII Öffentlich- keitsarbeit");
    expect(cols[1]).toBe("II Aufsuchende Arbeit, Beratung");
  });

  test("cell text = number of measures, merged spellings; gaps outlined and labelled Lücke", () => {
    const {document} = new JSDOM("").window;
    const el = chainMatrix(cells, {document});
    const texts = Array.from(el.querySelectorAll("g.cn-cell-labels text"), (t) => {
      const spans = t.querySelectorAll("tspan");
      return spans.length ? Array.from(spans, (s) => s.textContent).join(" ") : t.firstChild?.textContent;
    });
    expect(texts).toHaveLength(42);
    // row 0–3 (index 1), column V (index 4)
    expect(texts[1 * 7 + 4]).toBe("3");
    expect(texts[0 * 7 + 4]).toBe("3");
    expect(texts[4 * 7 + 0]).toBe("0 Lücke");
    expect(el.querySelectorAll("g.cn-gaps rect")).toHaveLength(1);
    const titles = Array.from(el.querySelectorAll("g.cn-cells title"), (t) => t.textContent);
    expect(titles[1 * 7 + 4]).toBe("Lebensphase 0–3, Handlungsfeld V Frühe Hilfen, Gesundheit\n3 Maßnahmen, 50.000\u00a0€");
    expect(Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"))).toContain("Lücke");
  });

  test("colour = money: 0 € white, more money darker", async () => {
    const {relativeLuminance} = await import("../../src/components/palettes.ts");
    const {document} = new JSDOM("").window;
    const el = chainMatrix(cells, {document});
    const fills = Array.from(el.querySelectorAll("g.cn-cells rect"), (r) => r.getAttribute("fill") as string);
    expect(fills[2 * 7 + 0]).toBe("#ffffff");
    expect(relativeLuminance(fills[0 * 7 + 4]!)).toBeLessThan(relativeLuminance(fills[5 * 7 + 5]!));
  });

  test("key normalisation", () => {
    expect(lifePhaseKey("Schwangerschaft und Geburt")).toBe("schwangerschaft");
    expect(lifePhaseKey("6–10 Jahre")).toBe("6-10");
    expect(lifePhaseKey("99")).toBeNull();
    expect(handlungsfeldKey("vii")).toBe("VII");
    expect(handlungsfeldKey("3")).toBe("III");
    expect(handlungsfeldKey("VIII")).toBeNull();
  });

  test("a withheld amount (protected child population) is white and says so, not 0 €", () => {
    const {document} = new JSDOM("").window;
    const el = chainMatrix([{life_phase: "0-3", handlungsfeld: "V", measures: 2, amount: null, gap: false}, ...cells.slice(0, 1)], {document});
    const titles = Array.from(el.querySelectorAll("g.cn-cells title"), (t) => t.textContent);
    expect(titles[1 * 7 + 4]).toBe("Lebensphase 0–3, Handlungsfeld V Frühe Hilfen, Gesundheit\n2 Maßnahmen, Betrag geheim (kleine Fallzahl)");
    expect(el.querySelectorAll("g.cn-cells rect")[1 * 7 + 4]!.getAttribute("fill")).toBe("#ffffff");
  });
});
