import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, inject, it} from "vitest";
import {printReport} from "../../scripts/report-pdf.ts";

const distDir = inject("distDir");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-pdf-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

function pageTexts(pdf: string, pages: number): string[] {
  return Array.from({length: pages}, (_, i) => execFileSync("pdftotext", ["-f", String(i + 1), "-l", String(i + 1), "-layout", pdf, "-"], {encoding: "utf8"}));
}

describe("the annual report as PDF (npm run report:pdf)", () => {
  it("prints the 2024 report on A4 with one page per section, page numbers and no blank page", async () => {
    const pdf = join(tmp, "bericht-2024.pdf");
    await printReport(2024, pdf, distDir);
    const info = execFileSync("pdfinfo", [pdf], {encoding: "utf8"});
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(info).toMatch(/Page size:.*\(A4\)/);
    // cover, contents, then the five sections and the methods each start on a new page
    const texts = pageTexts(pdf, pages);
    const starts = ["Gebiete mit dem höchsten Bedarf", "Deutliche Abweichungen vom Stadtwert", "Kita-Versorgung", "Fördermittel nach Bedarf", "Reichweite der Maßnahmen", "Methoden, Quellen und Lizenzen"];
    const startPage = starts.map((title) => texts.findIndex((t) => t.trimStart().startsWith(title) || t.split("\n").slice(0, 3).join(" ").includes(title)));
    expect(startPage.every((p) => p >= 2), `section start pages ${startPage}`).toBe(true);
    expect([...startPage].sort((a, b) => a - b)).toEqual(startPage);
    expect(pages).toBeGreaterThanOrEqual(8);
    texts.forEach((text, i) => {
      expect(text.replace(/Seite \d+ von \d+/, "").trim().length, `page ${i + 1} is blank`).toBeGreaterThan(40);
      expect(text, `page number on page ${i + 1}`).toContain(`Seite ${i + 1} von ${pages}`);
    });
    expect(texts[0]).toMatch(/Kinder und Familien in \S+ 2024/);
    expect(texts[0]).toMatch(/Datenstand [0-9a-f]{12}/);
  });
});
