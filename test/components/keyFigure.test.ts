import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {changeText, keyFigure} from "../../src/components/keyFigure.ts";

const pct = {unit: "%" as const, kind: "proportion" as const};
const euro = {unit: "€" as const, kind: "per_capita" as const};
const series = [2020, 2021, 2022, 2023, 2024].map((year, i) => ({year, value: 0.1 + i * 0.006}));

describe("keyFigure", () => {
  test("value, change text, sparkline, aria-label", () => {
    const {document} = new JSDOM("").window;
    const el = keyFigure({label: "SGB-II-Quote u15", value: 0.125, previous: 0.113, meta: pct, year: 2024, series, document});
    expect(el.getAttribute("role")).toBe("group");
    expect(el.querySelector(".cn-key-value")?.textContent).toBe("12,5\u00a0%");
    expect(el.querySelector(".cn-key-change")?.textContent).toBe("+1,2\u00a0Pp. gegenüber Vorjahr");
    const spark = el.querySelector(".cn-sparkline svg");
    expect(spark?.getAttribute("aria-hidden")).toBe("true");
    expect(spark?.querySelectorAll("g.cn-spark-line path")).toHaveLength(1);
    expect(el.getAttribute("aria-label")).toBe(
      "SGB-II-Quote u15 2024: 12,5\u00a0%, +1,2\u00a0Pp. gegenüber Vorjahr, Verlauf 2020 bis 2024: von 10,0\u00a0% auf 12,4\u00a0%"
    );
    expect(el.querySelector(".cn-badge")).toBeNull();
  });

  test("euro indicators, synthetic badge", () => {
    const {document} = new JSDOM("").window;
    const el = keyFigure({label: "Fördermittel je Kind", value: 118, previous: 106, meta: euro, synthetic: true, document});
    expect(el.querySelector(".cn-key-value")?.textContent).toBe("118\u00a0€");
    expect(el.querySelector(".cn-key-change")?.textContent).toBe("+12\u00a0€ gegenüber Vorjahr");
    expect(el.querySelector(".cn-badge")?.textContent).toBe("Beispieldaten");
    expect(el.getAttribute("aria-label")).toContain("Beispieldaten");
  });

  test("suppressed and missing are distinct, never 0", () => {
    const {document} = new JSDOM("").window;
    const secret = keyFigure({label: "A", value: null, suppressed: true, meta: pct, document});
    expect(secret.querySelector(".cn-key-value")?.textContent).toBe("geheim");
    expect(secret.querySelector(".cn-key-change")?.textContent).toBe("geheim (kleine Fallzahl)");
    const missing = keyFigure({label: "A", value: null, meta: pct, document});
    expect(missing.querySelector(".cn-key-value")?.textContent).toBe("keine Daten");
    expect(missing.getAttribute("aria-label")).toBe("A: keine Daten");
  });

  test("changeText without previous value", () => {
    expect(changeText(0.1, null, pct)).toBe("kein Vorjahresvergleich");
    expect(changeText(0.1, 0.1, pct)).toBe("±0,0\u00a0Pp. gegenüber Vorjahr");
  });
});
