import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {checkTotals, formatTotalWarning, parseTable, readTableFile, type ColumnSpec} from "../../loaders/ingest/index.ts";

const fixtures = fileURLToPath(new URL("../fixtures/ingest/", import.meta.url));
const measureSpecs: ColumnSpec[] = [
  {key: "year", aliases: ["jahr"], required: true},
  {key: "programme", aliases: ["programm"], required: true},
  {key: "measure", aliases: ["massnahme"], required: true},
  {key: "provider", aliases: ["traeger"]},
  {key: "amount_eur", aliases: ["betrag"], required: true}
];
const measures = () => readTableFile(fixtures + "measures.csv", {file: "measures.csv", columns: measureSpecs});
const text = (s: string) => parseTable(new TextEncoder().encode(s), {file: "t.csv"});

describe("checkTotals", () => {
  it("finds the 50 € difference of the 2024 subtotal (items since the previous total)", () => {
    const t = measures();
    expect(t.totals.map((r) => [r.line, r.cells["measure"]])).toEqual([
      [14, "Summe"],
      [18, "Summe 2025"]
    ]);
    expect(t.rows).toHaveLength(15);
    // 85.800 + 42.000 + 31.500 + 27.650 + 60.000 + 18.000 + 22.500 + 35.000 + 12.000 + 24.000 + 15.000 + 25.000
    // = 398.450; declared 398.400. 2025: 10.000,50 + 20.000 + "-" = 30.000,50 = declared.
    const checks = checkTotals(t, ["amount_eur"]);
    expect(checks).toEqual([
      {file: "measures.csv", line: 14, column: "amount_eur", declared: 398400, sumOfItems: 398450, difference: -50, unit: "€"}
    ]);
    expect(formatTotalWarning(checks[0]!)).toBe(
      "measures.csv:14: amount_eur: Summenzeile nennt 398.400 €, die Einzelposten ergeben 398.450 € (Differenz 50 €)"
    );
  });

  it("groupBy: items are the rows with the same value", () => {
    const checks = checkTotals(measures(), ["amount_eur"], {groupBy: "year"});
    expect(checks.map((c) => [c.line, c.sumOfItems, c.difference])).toEqual([[14, 398450, -50]]);
    // grouping by programme puts all 15 items under both totals: 398.450 + 30.000,50 = 428.450,50
    const byProgramme = checkTotals(measures(), ["amount_eur"], {groupBy: "programme"});
    expect(byProgramme.map((c) => [c.line, c.sumOfItems, c.difference])).toEqual([
      [14, 428450.5, -30050.5],
      [18, 428450.5, -398450]
    ]);
  });

  it("tolerance", () => {
    expect(checkTotals(measures(), ["amount_eur"], {tolerance: 50})).toEqual([]);
    expect(checkTotals(measures(), ["amount_eur"], {tolerance: 49.99})).toHaveLength(1);
  });

  it("correct GENESIS totals give no warning; markers are not summed", () => {
    const t = readTableFile(fixtures + "genesis.csv");
    const columns = ["bevoelkerung_insgesamt_anzahl", "bevoelkerung_maennlich_anzahl", "bevoelkerung_weiblich_anzahl"];
    expect(checkTotals(t, columns)).toEqual([]);
  });

  it("detects the decimal style per column and formats de-DE without unit", () => {
    const t = text("Gebiet,Wert,Anzahl\nA,1.5,1.000\nB,2.25,2.000\nSumme,3.80,3.001\n");
    const checks = checkTotals(t, ["wert", "anzahl"]);
    // wert: point style (1.5, 2.25) → 3.8 vs 3.75; anzahl: ambiguous → comma → 3001 vs 3000
    expect(checks.map((c) => [c.column, c.declared, c.sumOfItems, c.difference])).toEqual([
      ["wert", 3.8, 3.75, 0.05],
      ["anzahl", 3001, 3000, 1]
    ]);
    expect(formatTotalWarning(checks[0]!)).toBe(
      "t.csv:4: wert: Summenzeile nennt 3,8, die Einzelposten ergeben 3,75 (Differenz 0,05)"
    );
    expect(formatTotalWarning(checks[1]!)).toBe(
      "t.csv:4: anzahl: Summenzeile nennt 3.001, die Einzelposten ergeben 3.000 (Differenz 1)"
    );
  });

  it("skips totals without a number and totals without items", () => {
    const t = text("Gebiet;Anzahl\nSumme;7\nA;1\nB;2\nSumme;.\n");
    expect(t.totals.map((r) => r.line)).toEqual([2, 5]);
    expect(checkTotals(t, ["anzahl"])).toEqual([]);
  });
});
