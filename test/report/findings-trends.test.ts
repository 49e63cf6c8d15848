/**
 * The report's trend section (issue 13: trends "shown on profiles, in tables and in the
 * report"): the Fingertips recent trend of every report proportion per area of the report
 * level, checked against an independent computation from the published counts of Bochum.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {reportFindings, trendLabel} from "../../loaders/report/findings.ts";
import {chiSquareForTrend, recentTrend} from "../../loaders/stats/trend.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-report-trends-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe("report: recent trends", () => {
  it("labels: direction and reading by polarity", () => {
    expect(trendLabel("increasing", 1)).toBe("steigend (ungünstig)");
    expect(trendLabel("increasing", -1)).toBe("steigend (günstig)");
    expect(trendLabel("decreasing", 1)).toBe("fallend (günstig)");
    expect(trendLabel("decreasing", 0)).toBe("fallend");
    expect(trendLabel("no_change", 1)).toBe("keine signifikante Veränderung");
    expect(trendLabel("cannot_be_calculated", 1)).toBe("nicht berechenbar");
  });

  it("Bochum 2024: every significant trend of the table equals the oracle from the published counts", async () => {
    const db = join(tmp, "bochum.duckdb");
    await buildCity(join(import.meta.dirname, "..", "..", "data", "bochum"), db);
    const {instance, conn} = await openDatabase(db);
    try {
      const findings = await reportFindings(conn, 2024);
      const s = findings.sections.find((x) => x.id === "trends")!;
      expect(findings.sections.map((x) => x.id)).toEqual(["need", "deviations", "trends", "kita", "funding", "reach"]);
      const counts = await queryRows<{indicator_id: string; polarity: number; area_id: string; year: number; numerator: number | null; denominator: number | null}>(conn, `
        SELECT p.indicator_id, c.polarity, p.area_id, p.year, p.numerator, p.denominator FROM indicator_published p JOIN indicator_catalogue c USING (indicator_id)
        WHERE p.level = 'stadtbezirk' AND p.year BETWEEN 2020 AND 2024 AND c.in_report AND c.kind = 'proportion' ORDER BY ALL`);
      const series = new Map<string, typeof counts>();
      for (const r of counts) series.set(`${r.indicator_id}|${r.area_id}`, [...(series.get(`${r.indicator_id}|${r.area_id}`) ?? []), r]);
      const expected: string[] = [];
      let computable = 0;
      for (const [key, rows] of series) {
        const t = recentTrend(rows.map((r) => ({year: r.year, numerator: r.numerator, denominator: r.denominator})), 2024);
        if (t.outcome !== "cannot_be_calculated") computable++;
        if (t.outcome === "increasing" || t.outcome === "decreasing") {
          // the χ² of the oracle's series, recomputed from the counts
          expect(t.chi2).toBeCloseTo(chiSquareForTrend(rows.map((r) => ({numerator: r.numerator!, denominator: r.denominator!})))!, 9);
          expect(t.chi2!).toBeGreaterThan(9.54953570608324);
          expected.push(`${key}|${trendLabel(t.outcome, rows[0]!.polarity)}`);
        }
      }
      const got = s.table.rows.map((r) => `${String(r.indicator_id)}|${String(r.area_id)}|${String(r.trend)}`);
      expect(got.sort()).toEqual(expected.sort());
      expect(expected.length).toBeGreaterThan(0);
      expect(s.figures).toMatchObject({trend_series: computable, trend_significant: expected.length});
      expect(s.paragraphs[0]).toMatch(/^Geprüft wird, ob sich ein Anteil von 2020 bis 2024 gleichgerichtet verändert hat/);
      // one sentence per indicator with a trend, naming the areas
      for (const p of s.paragraphs.slice(1)) expect(p).toMatch(/^[^:]+: (steigend|fallend) in .+\.$/);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }, 300_000);
});
