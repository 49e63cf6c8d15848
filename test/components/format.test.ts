import {describe, expect, test} from "vitest";
import {
  differenceOf,
  diffTickFormat,
  formatEuro,
  formatEuroCompact,
  formatInterval,
  formatNumber,
  formatPercent,
  formatPp,
  formatValue,
  formatYear,
  NBSP,
  tickFormat
} from "../../src/components/format.ts";

const pct = {unit: "%" as const, kind: "proportion" as const};
const ratio = {unit: "%" as const, kind: "ratio" as const};
const euro = {unit: "€" as const, kind: "per_capita" as const};

describe("format", () => {
  test("no-break space U+00A0 before units (decided: as Intl de-DE)", () => {
    expect(NBSP).toBe("\u00a0");
    expect(formatPercent(0.125)).toBe("12,5\u00a0%");
  });

  test("formatNumber", () => {
    expect(formatNumber(1234)).toBe("1.234");
    expect(formatNumber(1234.5, 1)).toBe("1.234,5");
    expect(formatNumber(1234567.891, 2)).toBe("1.234.567,89");
    expect(formatNumber(-1.5, 1)).toBe("-1,5");
    expect(formatNumber(null)).toBe("–");
    expect(formatNumber(Number.NaN)).toBe("–");
    expect(formatNumber(Infinity)).toBe("–");
  });

  test("formatPercent", () => {
    expect(formatPercent(0.125)).toBe("12,5\u00a0%");
    expect(formatPercent(0.45, 0)).toBe("45\u00a0%");
    expect(formatPercent(1)).toBe("100,0\u00a0%");
    expect(formatPercent(0)).toBe("0,0\u00a0%");
    expect(formatPercent(12.345, 1)).toBe("1.234,5\u00a0%");
    expect(formatPercent(undefined)).toBe("–");
  });

  test("formatEuro", () => {
    expect(formatEuro(1234.4)).toBe("1.234\u00a0€");
    expect(formatEuro(85800)).toBe("85.800\u00a0€");
    expect(formatEuro(12.5, 2)).toBe("12,50\u00a0€");
    expect(formatEuro(null)).toBe("–");
    expect(formatEuroCompact(850)).toBe("850\u00a0€");
    expect(formatEuroCompact(50000)).toBe("50\u00a0Tsd.\u00a0€");
    expect(formatEuroCompact(1_234_000)).toBe("1,2\u00a0Mio.\u00a0€");
  });

  test("formatValue by kind", () => {
    expect(formatValue(0.125, pct)).toBe("12,5\u00a0%");
    expect(formatValue(0.452, ratio)).toBe("45,2\u00a0%");
    expect(formatValue(1234.4, euro)).toBe("1.234\u00a0€");
    expect(formatValue(0.125, pct, 0)).toBe("13\u00a0%");
    expect(formatValue(null, pct)).toBe("–");
  });

  test("formatPp: percentage points or euros with sign", () => {
    expect(formatPp(1.234)).toBe("+1,2\u00a0Pp.");
    expect(formatPp(-0.84, pct)).toBe("-0,8\u00a0Pp.");
    expect(formatPp(0)).toBe("±0,0\u00a0Pp.");
    expect(formatPp(-0.04)).toBe("±0,0\u00a0Pp.");
    expect(formatPp(12, euro)).toBe("+12\u00a0€");
    expect(formatPp(-1234, euro)).toBe("-1.234\u00a0€");
    expect(formatPp(null)).toBe("–");
  });

  test("differenceOf: Pp. for %, € for €", () => {
    expect(differenceOf(0.137, 0.125, pct)).toBeCloseTo(1.2, 10);
    expect(differenceOf(110, 100, euro)).toBe(10);
    expect(differenceOf(null, 0.1, pct)).toBeNull();
  });

  test("formatYear and formatInterval", () => {
    expect(formatYear(2024)).toBe("2024");
    expect(formatYear(null)).toBe("–");
    expect(formatInterval(0.102, 0.148, pct)).toBe("10,2–14,8\u00a0%");
    expect(formatInterval(1000, 1200, euro)).toBe("1.000–1.200\u00a0€");
    expect(formatInterval(null, 0.1, pct)).toBe("–");
  });

  test("tick formats adapt decimals to the tick step", () => {
    const f = tickFormat(pct);
    expect(f(0.1, 0, [0, 0.1, 0.2])).toBe("10\u00a0%");
    expect(f(0.025, 1, [0.02, 0.025, 0.03])).toBe("2,5\u00a0%");
    expect(tickFormat(euro)(1000, 0, [0, 1000])).toBe("1.000\u00a0€");
    expect(diffTickFormat(pct)(2, 0, [-2, 0, 2])).toBe("+2\u00a0Pp.");
    expect(diffTickFormat(pct)(0, 0, [-2, 0, 2])).toBe("±0\u00a0Pp.");
  });
});
