import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {concentrationCurve, formatIndex} from "../../src/components/concentrationCurve.ts";

const points = [
  {x: 0.4, y: 0.6, name: "A"},
  {x: 0.2, y: 0.35, name: "B"},
  {x: 1, y: 1, name: "C"},
  {x: 0.7, y: 0.85, name: "D"}
];

describe("concentrationCurve", () => {
  test("curve from (0,0), diagonal, points, index text, German axis labels", () => {
    const {document} = new JSDOM("").window;
    const el = concentrationCurve(points, {index: 0.234, document});
    const svg = el.querySelector(":scope > svg");
    expect(svg?.getAttribute("aria-label")).toBe("Konzentrationskurve, Konzentrationsindex +0,23");
    expect(el.querySelectorAll("g.cn-diagonal path")).toHaveLength(1);
    expect(el.querySelectorAll("g.cn-curve path")).toHaveLength(1);
    expect(el.querySelectorAll("g.cn-points circle")).toHaveLength(4);
    expect(el.querySelector("g.cn-index text")?.textContent).toBe("Konzentrationsindex:\u00a0+0,23");
    expect(el.querySelector("g.cn-diagonal-label text")?.textContent).toBe("Gleichverteilung");
    const labels = Array.from(svg?.querySelectorAll('g[data-mark$="axis label"] text') ?? [], (t) => t.textContent);
    expect([...labels].sort()).toEqual(["Kumulierter Anteil der Fördermittel", "Kumulierter Anteil der Kinder (Gebiete nach Bedarf geordnet)"]);
    // curve starts at the origin: 5 vertices (0,0 + 4 points)
    expect((el.querySelector("g.cn-curve path")?.getAttribute("d") ?? "").match(/[ML]/g)).toHaveLength(5);
  });

  test("without index", () => {
    const {document} = new JSDOM("").window;
    const el = concentrationCurve(points, {document});
    expect(el.querySelector("g.cn-index")).toBeNull();
  });

  test("formatIndex", () => {
    expect(formatIndex(0.234)).toBe("+0,23");
    expect(formatIndex(-0.051)).toBe("-0,05");
    expect(formatIndex(0.001)).toBe("0,00");
  });
});
