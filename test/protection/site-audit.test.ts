/**
 * The attacker's linear programme (lp-auditor.ts, HiGHS) against what each city's site
 * publishes: every indicator value and download, with all sums across the area hierarchy,
 * pooled windows, complements, shared denominators and published rates as constraints, and all
 * counts ≥ 0. Required: no withheld count of children is recovered exactly, and every sensitive
 * count (1–4 cases, complement 1–4, denominator under 20) keeps a feasible range of at least the
 * protection width (3) on both sides or down to 0. With primary suppression only, the same
 * auditor must find leaks – proof that it can fail.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {cityDir} from "../../loaders/city.ts";
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {buildDatabase} from "../../loaders/database.ts";
import {computeIndicators} from "../../loaders/indicators/compute.ts";
import {buildCity} from "../../loaders/pipeline.ts";
import {validateCity} from "../../loaders/validate.ts";
import {exportFunding} from "../../loaders/export/funding.ts";
import {exportIndicatorValues} from "../../loaders/export/site.ts";
import {findingsText, reportFindings} from "../../loaders/report/findings.ts";
import {auditCity, quotingSentence, sentencesOf, withheldValues} from "./site-audit.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-audit-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

async function withCity<T>(dir: string, name: string, fn: (conn: Awaited<ReturnType<typeof openDatabase>>["conn"]) => Promise<T>, protection: "full" | "primary-only" = "full"): Promise<T> {
  const db = join(tmp, `${name}.duckdb`);
  if (protection === "full") await buildCity(dir, db);
  else {
    const city = validateCity(dir);
    await buildDatabase(city, db, async (conn) => {
      await computeIndicators(conn, city.config, {protection});
    });
  }
  const {instance, conn} = await openDatabase(db);
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Bottrop with a third of its school entrants, 2020–2024: most cells of the 27 Sozialräume are small. */
function smallCellCity(): string {
  const dir = join(tmp, "kleinstadt");
  cpSync(cityDir("bottrop"), dir, {recursive: true});
  const [header, ...lines] = readFileSync(join(dir, "seu.csv"), "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l !== "");
  const kept = lines.filter((line, i) => i % 3 === 0 && Number(line.slice(0, 4)) >= 2020);
  writeFileSync(join(dir, "seu.csv"), [header, ...kept].join("\n") + "\n");
  return dir;
}

const WIDTH = 3;

describe("the attacker's linear programme finds nothing on the published tables", () => {
  for (const city of ["bochum", "bottrop", "koeln"]) {
    it(`${city}: no exact recovery, no sensitive range narrower than ${WIDTH}`, async () => {
      const audit = await withCity(cityDir(city), city, (conn) => auditCity(conn, WIDTH));
      expect(audit.withheldCells).toBeGreaterThan(city === "bochum" ? 5 : 1000);
      expect(audit.violations).toEqual([]);
      expect(audit.exact).toEqual([]);
    }, 600_000);
  }

  it("a city built to have many small cells (a third of Bottrop's entrants)", async () => {
    const audit = await withCity(smallCellCity(), "kleinstadt", (conn) => auditCity(conn, WIDTH));
    expect(audit.withheldCells).toBeGreaterThan(1500);
    expect(audit.violations).toEqual([]);
    expect(audit.exact).toEqual([]);
  }, 600_000);
});

describe("the auditor fails primary-only protection", () => {
  it("Bochum with primary suppression only: withheld cells come back", async () => {
    const audit = await withCity(cityDir("bochum"), "bochum-primary", (conn) => auditCity(conn, WIDTH), "primary-only");
    expect(audit.exact.length).toBeGreaterThan(0);
    expect(audit.violations.length).toBeGreaterThan(0);
  }, 600_000);
});

describe("regressions: the leaks of issue 11 stay closed", () => {
  it("complement: Bochum-Südwest 2017 measles twice (244 of 247, 3 without) is withheld", async () => {
    await withCity(cityDir("bochum"), "bochum-reg", async (conn) => {
      const [truth] = await queryRows<{numerator: number; denominator: number}>(conn, "SELECT numerator, denominator FROM indicator_values v JOIN areas a USING (area_id) WHERE indicator_id = 'seu_measles2' AND year = 2017 AND a.name = 'Bochum-Südwest'");
      expect(truth!.denominator - truth!.numerator).toBeGreaterThan(0);
      expect(truth!.denominator - truth!.numerator).toBeLessThan(5);
      const rows = await exportIndicatorValues(conn);
      const published = rows.find((r) => r.indicator_id === "seu_measles2" && Number(r.year) === 2017 && r.name === "Bochum-Südwest")!;
      expect([published.numerator, published.denominator, published.rate, published.suppressed]).toEqual([null, null, null, "geheim"]);
    });
  }, 600_000);

  it("funding page: SGB II and family language of the allocation come from protected cells only", async () => {
    await withCity(cityDir("bottrop"), "bottrop-funding", async (conn) => {
      const funding = (await exportFunding(conn)) as {levels: Record<string, {allocation: {year: number; areas: {area_id: string; sgb2_u6: number | null; nongerman_lang: number | null}[]} | null}>};
      const withheld = new Set((await queryRows<{k: string}>(conn, "SELECT indicator_id || '|' || area_id || '|' || year AS k FROM indicator_published WHERE suppressed IS NOT NULL")).map((r) => r.k));
      let checked = 0;
      for (const level of Object.values(funding.levels)) {
        const allocation = level.allocation;
        if (!allocation) continue;
        for (const area of allocation.areas) {
          const langYear = await queryRows<{y: number}>(conn, `SELECT max(year) AS y FROM indicator_published WHERE indicator_id = 'seu_family_lang_nongerman' AND year <= ${allocation.year}`);
          if (withheld.has(`seu_family_lang_nongerman|${area.area_id}|${langYear[0]!.y}`)) {
            expect(area.nongerman_lang, area.area_id).toBeNull();
            checked++;
          }
          if (withheld.has(`sgb2_u6|${area.area_id}|${allocation.year}`)) expect(area.sgb2_u6).toBeNull();
        }
      }
      // Bottrop's 27 Sozialräume have withheld family-language cells in the latest year (WB24, WB26 in 2023)
      expect(checked).toBeGreaterThan(0);
    });
  }, 600_000);

  it("linked tables: a small number of examined children is withheld for every school-entry indicator (Köln)", async () => {
    await withCity(cityDir("koeln"), "koeln-linked", async (conn) => {
      // area-years where some SEU indicator has fewer than 20 examined children
      const small = await queryRows<{area_id: string; year: number}>(conn, `
        SELECT DISTINCT v.area_id, v.year FROM indicator_values v JOIN protection_rules r USING (indicator_id)
        WHERE r.family = 'seu' AND v.denominator > 0 AND v.denominator < 20`);
      expect(small.length).toBeGreaterThan(10);
      const leaks = await queryRows<{n: number}>(conn, `
        SELECT count(*) AS n FROM indicator_published p JOIN protection_rules r USING (indicator_id)
        JOIN (SELECT DISTINCT v.area_id, v.year FROM indicator_values v JOIN protection_rules r2 USING (indicator_id)
              WHERE r2.family = 'seu' AND v.denominator > 0 AND v.denominator < 20) s USING (area_id, year)
        WHERE r.family = 'seu' AND p.denominator IS NOT NULL`);
      expect(leaks[0]!.n).toBe(0);
    });
  }, 600_000);

  it("report text: no sentence names a withheld area together with its withheld rate (Bottrop, every year)", async () => {
    await withCity(cityDir("bottrop"), "bottrop-report", async (conn) => {
      const withheld = await withheldValues(conn);
      expect(withheld.length).toBeGreaterThan(1000);
      let sentences = 0;
      for (const year of [...new Set(withheld.map((w) => Number(w.year)))]) {
        const list = sentencesOf(findingsText(await reportFindings(conn, year)));
        sentences += list.length;
        for (const w of withheld.filter((x) => Number(x.year) === year)) {
          expect(quotingSentence(list, w), `${year} ${w.short_title} ${w.name}`).toBeUndefined();
        }
      }
      expect(sentences).toBeGreaterThan(50);
    });
  }, 600_000);

  it("need index: an area with a withheld input rate gets no z-value; the others are computed without it", async () => {
    await withCity(cityDir("bottrop"), "bottrop-index", async (conn) => {
      const [cell] = await queryRows<{indicator_id: string; area_id: string; year: number; level: string}>(conn, `
        SELECT p.indicator_id, p.area_id, p.year, p.level FROM indicator_published p
        WHERE p.suppressed IS NOT NULL AND p.indicator_id IN ('seu_german_support', 'seu_overweight', 'seu_u9', 'sgb2_u15') AND p.level <> 'stadt'
        ORDER BY p.year DESC LIMIT 1`);
      expect(cell).toBeDefined();
      const before = await queryRows<{area_id: string; status_z: number | null}>(conn, `SELECT area_id, status_z FROM need_index WHERE year = ${cell!.year} AND level = '${cell!.level}' ORDER BY area_id`);
      // the withheld area has no index value; all others are computed without it
      expect(before.find((r) => r.area_id === cell!.area_id)?.status_z ?? null).toBeNull();
      expect(before.filter((r) => r.status_z !== null).length).toBeGreaterThan(1);
      // exactly the areas whose index inputs are all published have a value
      const [{basis}] = (await queryRows<{basis: string}>(conn, `SELECT any_value(basis) AS basis FROM need_index WHERE year = ${cell!.year} AND level = '${cell!.level}'`)) as [{basis: string}];
      const column = basis === "Dreijahresmittel" ? "pooled_rate" : "rate";
      const complete = await queryRows<{area_id: string}>(conn, `
        SELECT area_id FROM indicator_published WHERE year = ${cell!.year} AND level = '${cell!.level}'
          AND indicator_id IN ('seu_german_support', 'seu_overweight', 'seu_u9', 'sgb2_u15')
        GROUP BY area_id HAVING count(${column}) = 4 ORDER BY area_id`);
      expect(before.filter((r) => r.status_z !== null).map((r) => r.area_id)).toEqual(complete.map((r) => r.area_id));
    });
  }, 600_000);
});
