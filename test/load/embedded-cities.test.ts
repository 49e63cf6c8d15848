import {describe, expect, it} from "vitest";
import {main} from "../../loaders/cli.ts";

async function validate(city: string): Promise<{code: number; report: {files: {file: string; rows_read: number; rows_loaded: number; rows_rejected: number}[]; errors: unknown[]; warnings: {file: string; line: number; message: string}[]}}> {
  let out = "";
  const code = await main(["validate", `data/${city}`, "--json"], {stdout: (s) => (out += s), stderr: () => undefined});
  return {code, report: JSON.parse(out)};
}

describe("the embedded cities pass `chancenatlas validate`", () => {
  for (const city of ["bochum", "bottrop", "koeln"]) {
    it(`${city}: no rejected row, every row loaded`, async () => {
      const {code, report} = await validate(city);
      expect(report.errors).toEqual([]);
      expect(code).toBe(0);
      for (const f of report.files) expect(f.rows_loaded).toBe(f.rows_read);
    });
  }

  it("Bochum: the funding lists reproduce the strategy programme, and the 50 € discrepancy of 2024 is reported", async () => {
    const {report} = await validate("bochum");
    const messages = report.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`.replace(/\u00a0/g, " "));
    // 2023: 368.600 € declared and granted – no warning; 2024: 398.400 € declared, items 398.450 €
    expect(messages).toEqual(["programme_totals.csv:3: kinderstark 2024 (beantragt): erklärte Summe 398.400 €, die 9 Maßnahmen ergeben 398.450 € (50 € mehr als erklärt)"]);
  });
});
