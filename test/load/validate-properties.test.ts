/**
 * Property tests of the whole validation: random population files – valid rows,
 * rows with wrong values, markers, duplicates, unknown areas, garbage lines, in
 * random encodings and delimiters – never make validateCity throw anything but
 * the documented IngestError, and every row is accounted for:
 * rows read = rows loaded + rows rejected, one reported error per rejected row.
 */
import {cpSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";
import {IngestError} from "../../loaders/ingest/index.ts";
import {encodeWindows1252} from "../../loaders/ingest/index.ts";
import {validateCity} from "../../loaders/validate.ts";

const MUSTERSTADT = join(import.meta.dirname, "..", "fixtures", "cities", "musterstadt");
const dir = mkdtempSync(join(tmpdir(), "chancenatlas-prop-"));
cpSync(MUSTERSTADT, dir, {recursive: true});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const cell = fc.oneof(
  fc.constantFrom("2023", "2022", "1999", "2031", "011", "012", "021", "022", "099", "0-3", "3-6", "6-10", "75+", "x", "-", ".", "-9999", "", "12", "1.204", "-5", "3,5", "zwölf", "Gesamt", "Summe", "Ä;ö", "\"q\"", "a\nb"),
  fc.string({maxLength: 6})
);
const row = fc.array(cell, {minLength: 1, maxLength: 6});

function csvLine(cells: string[], delimiter: string): string {
  return cells.map((c) => (/[";,\t\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter);
}

describe("validateCity on random population files", () => {
  it("throws only IngestError and accounts for every row", () => {
    fc.assert(
      fc.property(fc.array(row, {maxLength: 25}), fc.constantFrom(";", ",", "\t"), fc.constantFrom("\n", "\r\n"), fc.boolean(), (rows, delimiter, eol, latin1) => {
        const text = [["Jahr", "Gebiet", "Altersgruppe", "Anzahl"].join(delimiter), ...rows.map((r) => csvLine(r, delimiter))].join(eol) + eol;
        const bytes = latin1 ? encodeWindows1252(text) ?? Buffer.from(text, "utf8") : Buffer.from(text, "utf8");
        writeFileSync(join(dir, "population.csv"), bytes);
        try {
          const city = validateCity(dir);
          for (const f of city.report.files) expect(f.rows_read).toBe(f.rows_loaded + f.rows_rejected);
          const population = city.files.find((f) => f.spec.name === "population.csv")!;
          expect(city.report.errors.filter((e) => e.file === "population.csv")).toHaveLength(population.quarantine.length);
          // a loaded row is never a number invented from a marker or from text
          for (const r of population.records) expect(r.count === null || (Number.isInteger(r.count) && (r.count as number) >= 0)).toBe(true);
        } catch (error) {
          if (!(error instanceof IngestError)) throw error;
        }
      }),
      {numRuns: 150}
    );
  });
});
