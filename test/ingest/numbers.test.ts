import {describe, expect, it} from "vitest";
import {
  DEFAULT_MARKERS,
  detectDecimalStyle,
  detectUnit,
  parseNumber,
  type Cell,
  type ParseNumberOptions
} from "../../loaders/ingest/index.ts";

const num = (value: number): Cell => ({kind: "number", value});
const marker = (m: string): Cell => ({kind: "marker", marker: m});

describe("parseNumber", () => {
  const valid: [string, ParseNumberOptions, Cell][] = [
    ["1.234,5", {}, num(1234.5)],
    ["12,5 %", {}, num(12.5)], // percent is NOT divided by 100
    ["12,5%", {}, num(12.5)],
    ["1.234 €", {}, num(1234)],
    ["€ 1.234,50", {}, num(1234.5)],
    ["85.800 EUR", {}, num(85800)],
    ["Euro 5", {}, num(5)],
    [" 7 ", {}, num(7)],
    ["-3,5", {}, num(-3.5)], // a negative number, not the marker "-"
    ["- 3,5", {}, num(-3.5)],
    ["\u22122", {}, num(-2)], // U+2212 MINUS SIGN
    ["-1.234,5 €", {}, num(-1234.5)],
    ["+5", {}, num(5)],
    ["0", {}, num(0)],
    ["007", {}, num(7)],
    [",5", {}, num(0.5)],
    ["1.234", {}, num(1234)], // comma style: the point groups thousands
    ["1.234.567", {}, num(1234567)],
    ["1 234,5", {}, num(1234.5)], // space as thousands separator
    ["1\u00A0234,5", {}, num(1234.5)], // no-break space
    ["1\u202F234,5", {}, num(1234.5)], // narrow no-break space
    ["12 345 678", {}, num(12345678)],
    ["1234.5", {decimal: "point"}, num(1234.5)],
    ["1,234.5", {decimal: "point"}, num(1234.5)],
    ["0.25 %", {decimal: "point"}, num(0.25)],
    ["1 234.5", {decimal: "point"}, num(1234.5)],
    ["-9999", {}, num(-9999)], // a number unless configured as marker
    ["\u00A07\u00A0", {}, num(7)]
  ];
  it.each(valid)("%j %j", (raw, options, expected) => {
    expect(parseNumber(raw, options)).toEqual(expected);
  });

  it("returns +0 for negative zero", () => {
    const c = parseNumber("-0");
    expect(c.kind).toBe("number");
    expect(Object.is(c.kind === "number" ? c.value : NaN, 0)).toBe(true);
  });

  const markers: [string, ParseNumberOptions, Cell][] = [
    ["-", {}, marker("-")],
    [" - ", {}, marker("-")],
    [".", {}, marker(".")],
    ["x", {}, marker("x")],
    ["X", {}, marker("X")],
    ["/", {}, marker("/")],
    ["...", {}, marker("...")],
    ["…", {}, marker("…")],
    ["*", {}, marker("*")],
    ["k.A.", {}, marker("k.A.")],
    ["k. A.", {}, marker("k. A.")],
    ["–", {}, marker("–")], // en dash
    ["-9999", {markers: ["-9999"]}, marker("-9999")],
    [" -9999 ", {markers: ["-9999"]}, marker("-9999")],
    // configured markers are additional: the defaults still apply
    ["-", {markers: ["-9999"]}, marker("-")]
  ];
  it.each(markers)("marker %j %j", (raw, options, expected) => {
    expect(parseNumber(raw, options)).toEqual(expected);
  });

  it("treats empty and whitespace-only cells as empty", () => {
    expect(parseNumber("")).toEqual({kind: "empty"});
    expect(parseNumber("   ")).toEqual({kind: "empty"});
    expect(parseNumber("\u00A0")).toEqual({kind: "empty"});
  });

  const invalid: [string, ParseNumberOptions, RegExp][] = [
    ["abc", {}, /keine Zahl/],
    ["12.5", {}, /Dezimalpunkt in einer Spalte mit Dezimalkomma/],
    ["1.23,4", {}, /Tausenderpunkte und Dezimalkomma/],
    ["12,5", {decimal: "point"}, /Dezimalkomma in einer Spalte mit Dezimalpunkt/],
    ["1 23", {}, /Leerzeichen/],
    ["€", {}, /kein Zahlenwert/],
    ["%", {}, /kein Zahlenwert/],
    ["1e5", {}, /Zeichen/],
    ["--5", {}, /Zeichen|keine Zahl|passen nicht/],
    ["k.a.", {}, /./], // not a marker: matching is exact
    ["Infinity", {}, /keine Zahl/],
    ["9".repeat(400), {}, /zu groß/],
    ["-9999x", {markers: ["-9999"]}, /Zeichen/]
  ];
  it.each(invalid)("invalid %j %j", (raw, options, reason) => {
    const c = parseNumber(raw, options);
    expect(c.kind).toBe("invalid");
    if (c.kind === "invalid") {
      expect(c.raw).toBe(raw);
      expect(c.reason).toMatch(reason);
    }
  });

  it("lists the documented default markers", () => {
    for (const m of ["-", ".", "x", "/", "...", "*", "k.A.", "–", "…", "X", "k. A."]) {
      expect(DEFAULT_MARKERS).toContain(m);
    }
  });
});

describe("detectUnit", () => {
  it("reports percent and euro without changing the value", () => {
    expect(detectUnit("12,5 %")).toBe("percent");
    expect(detectUnit("1.234 €")).toBe("euro");
    expect(detectUnit("€ 1.234,50")).toBe("euro");
    expect(detectUnit("85.800 EUR")).toBe("euro");
    expect(detectUnit("12,5")).toBeNull();
  });
});

describe("detectDecimalStyle", () => {
  const cases: [string[], "comma" | "point"][] = [
    [["1.234", "12,5"], "comma"], // ambiguous 1.234 decided by 12,5
    [["1234.5", "17", "3.25"], "point"],
    [["1.234"], "comma"], // ambiguous alone: German default
    [["1.234", "2.500", "1.000.000"], "comma"], // several points can only be thousands separators
    [["1.234,5"], "comma"],
    [["1,234.5", "12"], "point"], // last separator is the decimal one
    [["12", "7"], "comma"], // no evidence
    [["-", ".", "x", "12.5"], "point"], // markers are no evidence
    [["1,234", "1,5"], "comma"],
    [["0.5 %", "12.75 %"], "point"],
    [["1,234,567", "12"], "point"],
    [["12,5 %", "3,75 %", "1.5"], "comma"], // majority
    [["1.5", "2,5"], "comma"], // tie: German default
    [[], "comma"]
  ];
  it.each(cases)("%j → %s", (values, expected) => {
    expect(detectDecimalStyle(values)).toBe(expected);
  });
});
