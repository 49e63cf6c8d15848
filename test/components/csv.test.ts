import {JSDOM} from "jsdom";
import {describe, expect, test, vi} from "vitest";
import {csvCell, downloadBlob, guardFormula, safeFilename, serializeSvg, svgToPngBlob, toExcelCsv, type CsvColumn} from "../../src/components/csv.ts";

const text = (key: string): CsvColumn => ({key, label: key, type: "text"});

describe("toExcelCsv", () => {
  test("BOM, semicolon, CRLF after every record, decimal comma, no thousands separator", () => {
    const csv = toExcelCsv(
      [
        {name: "Wattenscheid", n: 1234.5, rate: 0.125, eur: 85800},
        {name: "Mitte", n: -1.5, rate: null, eur: 12.3}
      ],
      [
        {key: "name", label: "Gebiet", type: "text"},
        {key: "n", label: "Anzahl", type: "number"},
        {key: "rate", label: "Anteil (%)", type: "percent"},
        {key: "eur", label: "Betrag (€)", type: "euro"}
      ]
    );
    expect(csv).toBe("\uFEFFGebiet;Anzahl;Anteil (%);Betrag (€)\r\nWattenscheid;1234,5;12,5;85800,00\r\nMitte;-1,5;;12,30\r\n");
  });

  test("decimals option and rounding", () => {
    expect(csvCell(0.12345, {key: "x", label: "x", type: "percent", decimals: 2})).toBe("12,35");
    expect(csvCell(1234567, {key: "x", label: "x", type: "euro", decimals: 0})).toBe("1234567");
    expect(csvCell(1 / 3, {key: "x", label: "x", type: "number"})).toBe("0,333333");
    expect(csvCell(-0.0001, {key: "x", label: "x", type: "number", decimals: 1})).toBe("0,0");
    expect(csvCell(Number.NaN, {key: "x", label: "x", type: "number"})).toBe("");
  });

  test("formula-injection guard for text, not for numbers", () => {
    const columns: CsvColumn[] = [text("t"), {key: "v", label: "v", type: "number"}];
    const csv = toExcelCsv(
      [
        {t: "=SUMME(A1)", v: -5},
        {t: "-5", v: 5},
        {t: "+49 234", v: 0},
        {t: "@cmd", v: 1},
        {t: "\tx", v: 2},
        {t: "\rx", v: 3},
        {t: "a=b", v: 4}
      ],
      columns
    );
    const lines = csv.slice(1).split("\r\n");
    expect(lines[1]).toBe("'=SUMME(A1);-5");
    expect(lines[2]).toBe("'-5;5");
    expect(lines[3]).toBe("'+49 234;0");
    expect(lines[4]).toBe("'@cmd;1");
    expect(lines[5]).toBe("'\tx;2");
    expect(lines[6]).toBe('"\'\rx";3');
    expect(lines[7]).toBe("a=b;4");
    expect(guardFormula("=SUMME(A1)")).toBe("'=SUMME(A1)");
    expect(guardFormula("-5")).toBe("'-5");
  });

  test("strings in number columns are text (guarded), e.g. geheim", () => {
    expect(csvCell("geheim", {key: "x", label: "x", type: "percent"})).toBe("geheim");
    expect(csvCell("-1", {key: "x", label: "x", type: "number"})).toBe("'-1");
  });

  test("RFC 4180 quoting", () => {
    const csv = toExcelCsv([{t: 'Mitte; Nord'}, {t: 'Sag "hallo"'}, {t: "zwei\nZeilen"}], [{key: "t", label: "Name; lang", type: "text"}]);
    expect(csv).toBe('\uFEFF"Name; lang"\r\n"Mitte; Nord"\r\n"Sag ""hallo"""\r\n"zwei\nZeilen"\r\n');
  });

  test("booleans and missing values", () => {
    expect(toExcelCsv([{a: true, b: undefined}], [text("a"), text("b")])).toBe("\uFEFFa;b\r\nja;\r\n");
  });
});

describe("downloads", () => {
  test("safeFilename", () => {
    expect(safeFilename("SGB II: Anteil/Bezirk 2024.csv")).toBe("SGB_II-_Anteil-Bezirk_2024.csv");
    expect(safeFilename("")).toBe("download");
  });

  test("downloadBlob clicks a temporary <a download>", () => {
    const {window} = new JSDOM("<!doctype html><body></body>");
    const clicked: HTMLAnchorElement[] = [];
    window.HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    const create = vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:test");
    const revoke = vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    vi.useFakeTimers();
    downloadBlob("daten.csv", "a;b\r\n", "text/csv", window.document);
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe("daten.csv");
    expect(clicked[0]?.getAttribute("href")).toBe("blob:test");
    expect(window.document.querySelector("a")).toBeNull(); // removed again
    vi.runAllTimers();
    expect(revoke).toHaveBeenCalledWith("blob:test");
    vi.useRealTimers();
    create.mockRestore();
    revoke.mockRestore();
  });

  test("serializeSvg adds namespaces; svgToPngBlob rejects without canvas", async () => {
    const {document} = new JSDOM("").window;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "10");
    const text = serializeSvg(svg);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    await expect(svgToPngBlob(svg)).rejects.toThrow();
  });
});
