import {describe, expect, it} from "vitest";
import {parseTable} from "../../loaders/ingest/index.ts";

describe("delimiter detection", () => {
  it("keeps ';' when quoted cells of a short table contain commas and line breaks (found by the property test)", () => {
    // header: five ';'-separated names; one record whose quoted cells hold ",", "\n" and "2,5"
    const text = 'Feld 1 ä;Feld 2 ä;Feld 3 ä;Feld 4 ä;Feld 5 ä\n;;",\n2,5";"\na";","';
    const table = parseTable(new TextEncoder().encode(text), {file: "kurz.csv"});
    expect(table.delimiter).toBe(";");
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.values).toEqual(["", "", ",\n2,5", "a", ","]); // cells are trimmed
    expect(table.rows[0]!.line).toBe(2);
  });
  it("still reads a ';' file with decimal commas and a GENESIS title line", () => {
    const text = "Tabelle 1: Anteile, Stadtbezirke\nJahr;Gebiet;Anteil\n2023;1;12,5\n2023;2;7,25\n";
    const table = parseTable(new TextEncoder().encode(text), {file: "genesis.csv"});
    expect(table.delimiter).toBe(";");
    expect(table.rows.map((r) => r.values)).toEqual([["2023", "1", "12,5"], ["2023", "2", "7,25"]]);
  });
});
