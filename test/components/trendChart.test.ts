import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {trendChart} from "../../src/components/trendChart.ts";
import type {IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "kita_coverage_u3", title: "Versorgungsquote U3", short_title: "Versorgungsquote U3", definition: "", unit: "%", kind: "ratio", polarity: -1, source: "Kita-Bedarfsplanung", target: 0.45};

function row(year: number, rate: number | null, suppressed: ValueRow["suppressed"] = null): ValueRow {
  return {
    year, area_id: "1", name: "Wattenscheid", level: "b", indicator_id: meta.id, numerator: null, denominator: null, rate,
    ci_lo: rate == null ? null : rate - 0.03, ci_hi: rate == null ? null : rate + 0.03, city_rate: 0.4, diff_city: null, signif: null,
    change_1y: null, change_ky: null, suppressed, synthetic: true
  };
}

const rows = [row(2019, 0.3), row(2020, 0.32), row(2021, null, "primary"), row(2022, 0.38), row(2023, 0.41)];

describe("trendChart", () => {
  test("line, dots per known year, city line, direct labels", () => {
    const {document} = new JSDOM("").window;
    const el = trendChart(rows, {meta, document});
    const svg = el.querySelector(":scope > svg");
    expect(svg?.getAttribute("aria-label")).toBe("Zeitverlauf Versorgungsquote U3: Wattenscheid und Stadt");
    expect(el.querySelectorAll("g.cn-dots circle")).toHaveLength(4);
    expect(el.querySelectorAll("g.cn-city path")).toHaveLength(1);
    expect(Array.from(el.querySelectorAll("g.cn-end-label text"), (t) => t.textContent)).toEqual(["Wattenscheid", "Stadt"]);
    expect(el.querySelectorAll("g.cn-interval path").length).toBeGreaterThan(0);
  });

  test("target rule from meta, labelled Ziel: 45,0 %; can be switched off", () => {
    const {document} = new JSDOM("").window;
    const el = trendChart(rows, {meta, document});
    expect(el.querySelectorAll("g.cn-target line")).toHaveLength(1);
    expect(el.querySelector("g.cn-target-label text")?.textContent).toBe("Ziel: 45,0\u00a0%");
    const none = trendChart(rows, {meta, target: null, document});
    expect(none.querySelector("g.cn-target")).toBeNull();
  });

  test("suppressed year: × marker labelled geheim, gap in the line", () => {
    const {document} = new JSDOM("").window;
    const el = trendChart(rows, {meta, document});
    const x = el.querySelectorAll("g.cn-suppressed text");
    expect(x).toHaveLength(1);
    expect(x[0]?.firstChild?.textContent).toBe("×");
    expect(x[0]?.querySelector("title")?.textContent).toBe("2021: geheim (kleine Fallzahl)");
    expect((el.querySelector("g.cn-line path")?.getAttribute("d") ?? "").match(/M/g)).toHaveLength(2);
    expect(Array.from(el.querySelectorAll(".cn-legend-item"), (li) => li.getAttribute("data-label"))).toContain("geheim (kleine Fallzahl)");
  });
});
