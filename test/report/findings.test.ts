/**
 * Generated findings of the annual report, checked sentence by sentence against two
 * hand-made fixture cities whose numbers are computed by hand below (and cross-checked
 * by SQL on the raw input tables of the same database):
 *
 * Both fixtures keep the z thresholds on purpose (need_index.min_areas_for_thresholds 2; with
 * the default of 20 their few areas would get rank classes, test/stats/need-index-levels.test.ts).
 * report-a classes its dynamics against the sampling error (default): Feldmark's z = 1,10 on a
 * few dozen children per year stays in class 2; report-b uses plain thresholds
 * (dynamics_sampling_error false), so Mittelviertel's z = 1,15 is class 3.
 *   report-a "Auenstadt": 4 Stadtteile, need classes 4/4/3/1 with a tie at the top, a small
 *     cell (3 of 60) with primary and secondary suppression, funding and reach in 2024,
 *     Kita rows of 2024 marked synthetic;
 *   report-b "Beispielheim": 3 Bezirke, no area in class 3 or 4 in 2024 (z = −1, 0, +1),
 *     funding and reach only in 2023 (fallback), Kita U3 cells withheld for small numbers,
 *     a tie in the Ü3 gaps, measures marked synthetic.
 */
import {appendFileSync, cpSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {buildCity} from "../../loaders/pipeline.ts";
import {inputHash} from "../../loaders/database.ts";
import {queryRows} from "../../loaders/db.ts";
import {findingsText, missingPlaces, reportFindings, SYNTHETIC_NOTE, type ReportFindings, type ReportSection} from "../../loaders/report/findings.ts";
import {count, formatEuro, formatNumber, formatPercent, formatPoints, formatTarget, joinList} from "../../loaders/report/format.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures", "cities");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-report-"));
const opened: {instance: DuckDBInstance; conn: DuckDBConnection}[] = [];

async function openCity(dir: string, name: string): Promise<DuckDBConnection> {
  const db = join(tmp, `${name}.duckdb`);
  await buildCity(dir, db);
  const instance = await DuckDBInstance.create(db, {access_mode: "READ_ONLY"});
  const conn = await instance.connect();
  opened.push({instance, conn});
  return conn;
}

afterAll(() => {
  for (const {instance, conn} of opened) {
    conn.closeSync();
    instance.closeSync();
  }
  rmSync(tmp, {recursive: true, force: true});
});

function sectionOf(findings: ReportFindings, id: ReportSection["id"]): ReportSection {
  const s = findings.sections.find((x) => x.id === id);
  if (!s) throw new Error(`section ${id} missing`);
  return s;
}

// Wilson interval, written out independently of loaders/stats (docs/methods.md, section 2)
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

describe("German wording helpers", () => {
  it("formats de-DE numbers, percent, euro and percentage points", () => {
    expect(formatPercent(0.125)).toBe("12,5 %");
    expect(formatEuro(1234)).toBe("1.234 €");
    expect(formatEuro(6.4, 2)).toBe("6,40 €");
    expect(formatPoints(1.23)).toBe("+1,2 Prozentpunkte");
    expect(formatPoints(-0.04)).toBe("0,0 Prozentpunkte");
    expect(formatPoints(-2.5)).toBe("-2,5 Prozentpunkte");
    expect(formatNumber(-4.09e-17, 2)).toBe("0,00");
    expect(formatTarget(0.45)).toBe("45 %");
    expect(formatTarget(0.975)).toBe("97,5 %");
    expect(count(1, "Gebiet", "Gebiete")).toBe("1 Gebiet");
    expect(count(1234, "Gebiet", "Gebiete")).toBe("1.234 Gebiete");
    expect(joinList([])).toBe("");
    expect(joinList(["A"])).toBe("A");
    expect(joinList(["A", "B"])).toBe("A und B");
    expect(joinList(["A", "B", "C"])).toBe("A, B und C");
  });

  it("computes missing places without floating-point noise", () => {
    expect(0.07 * 100).not.toBe(7); // 7.000000000000001
    expect(missingPlaces(0.07, 100, 0)).toBe(7);
    expect(missingPlaces(0.45, 200, 90)).toBe(0);
    expect(missingPlaces(0.98, 130, 100)).toBe(28); // 127.4 → 128
    expect(missingPlaces(0.5, 10, 20)).toBe(0);
  });
});

describe("reportFindings – report-a (Auenstadt, 2024)", () => {
  let conn: DuckDBConnection;
  let findings: ReportFindings;
  beforeAll(async () => {
    conn = await openCity(join(FIXTURES, "report-a"), "report-a");
    findings = await reportFindings(conn, 2024);
  });

  it("stamps the data version, year, city and level", () => {
    const hash = inputHash(join(FIXTURES, "report-a"));
    expect(findings.stamp).toEqual({input_hash: hash, short_hash: hash.slice(0, 12), generated_for_year: 2024, city: "Auenstadt"});
    expect(findings.stamp.short_hash).toMatch(/^[0-9a-f]{12}$/);
    expect(findings.level).toEqual({id: "stadtteil", name: "Stadtteil"});
    expect(findings.sections.map((s) => s.id)).toEqual(["need", "deviations", "trends", "kita", "funding", "reach"]);
  });

  it("need: tie in class 4, class changes against 2023, dynamics, an area that left class 3", async () => {
    // SGB II unter 15, 2024: Altstadt 20/200, Bergheim 100/200, Feldmark 80/200, Hafen 100/200 → 0.10, 0.50, 0.40, 0.50
    // mean 0.375, sample sd √(0.1075/3) = 0.18930 → z = −1.45, 0.66, 0.13, 0.66; thresholds −1 / 0.1 / 0.5 → classes 1, 4, 3, 4
    // 2023: 0.35, 0.45, 0.10, 0.40 → z = 0.16, 0.80, −1.45, 0.48 → classes 3, 4, 1, 3
    // changes 2023→2024 (dynamics_years 1): −25, +5, +30, +10 points → z = −1.32, 0.00, 1.10, 0.22 → dynamics classes 1, 2, 3, 2
    const z = await queryRows<{area_id: string; z: number}>(
      conn,
      `SELECT area_id, (x - avg(x) OVER ()) / stddev_samp(x) OVER () AS z
       FROM (SELECT area_id, numerator / denominator AS x FROM indicator_input WHERE indicator_id = 'sgb2_u15' AND year = 2024) ORDER BY area_id`
    );
    expect(z.map((r) => formatNumber(r.z, 2))).toEqual(["-1,45", "0,66", "0,13", "0,66"]);
    const s = sectionOf(findings, "need");
    expect(s.paragraphs).toEqual([
      "Der Bedarfsindex 2024 ordnet 4 Gebiete der Ebene „Stadtteil“ in vier Klassen ein; Klasse 4 steht für den höchsten Bedarf.",
      "In Klasse 4 (sehr hoher Bedarf) liegen 2 Gebiete: Bergheim (z = 0,66) und Hafen (z = 0,66). In Klasse 3 (hoher Bedarf) liegt 1 Gebiet: Feldmark (z = 0,13).",
      "Die Dynamik beschreibt die Veränderung der Indikatoren seit 2023. " +
        "Bergheim: wie 2023 in Klasse 4; stabil (Dynamikklasse 2, z = 0,00). " +
        "Hafen: 2023 in Klasse 3, jetzt 1 Klasse höher; stabil (Dynamikklasse 2, z = 0,22). " +
        "Feldmark: 2023 in Klasse 1, jetzt 2 Klassen höher; keine gesicherte Veränderung (Dynamikklasse 2: z = 1,10 liegt im Bereich der Zufallsschwankung).",
      "Gegenüber 2023 nicht mehr in Klasse 3 oder 4: Altstadt (2023 Klasse 3, 2024 Klasse 1)."
    ]);
    expect(s.synthetic).toBe(false);
    expect(s.synthetic_note).toBeNull();
    expect(s.figures).toMatchObject({areas_with_index: 4, class_4: 2, class_3: 1, without_index: 0, previous_year: 2023});
    expect(s.table.rows.map((r) => [r.name, r.status_class, r.status_class_previous, r.class_change, r.dynamics_class])).toEqual([
      ["Bergheim", 4, 4, 0, 2],
      ["Hafen", 4, 3, 1, 2],
      ["Feldmark", 3, 1, 2, 2],
      ["Altstadt", 1, 3, -2, 2]
    ]);
  });

  it("deviations: polarity decides ungünstiger/günstiger, suppressed cells are counted, not quoted", async () => {
    // The published flags test each area against the rest of the city (Newcombe, Benjamini–Hochberg;
    // test/protection/comparison.test.ts checks that rule on every Köln comparison). For these
    // fixtures the simpler check below – the Wilson 95 % interval against the city value,
    // computed here, not taken from the database – gives the same flags:
    expect(wilson(30, 100)[0]).toBeGreaterThan(63 / 360); //   Sprachförderbedarf Altstadt 30,0 % > Stadt 17,5 % → ungünstiger
    expect(wilson(20, 100)[0]).toBeLessThan(63 / 360); //      Feldmark 20,0 %: interval contains 17,5 %
    expect(wilson(97, 100)[0]).toBeGreaterThan(322 / 360); //  U9 Feldmark 97,0 % above 89,4 %; polarity −1 → günstiger
    for (const [k, n] of [[90, 100], [50, 60], [85, 100]] as const) {
      const [lo, hi] = wilson(k, n);
      expect(lo < 322 / 360 && hi > 322 / 360).toBe(true);
    }
    expect(wilson(100, 200)[0]).toBeGreaterThan(0.375); //     SGB II Bergheim/Hafen 50,0 % > 37,5 %
    expect(wilson(20, 200)[1]).toBeLessThan(0.375); //        Altstadt 10,0 % < 37,5 %
    const [lo80, hi80] = wilson(80, 200);
    expect(lo80 < 0.375 && hi80 > 0.375).toBe(true);
    // Bergheim's 3 of 60 (Sprachförderbedarf) is suppressed (primary) with a partner (secondary), and Feldmark's
    // U9 97 of 100 because 3 children lack the U9 (complement rule, primary) with Bergheim's U9 as partner: 4 cells
    const [withheld] = await queryRows<{n: number}>(conn, "SELECT count(*) AS n FROM indicator_published WHERE year = 2024 AND level = 'stadtteil' AND suppressed IS NOT NULL");
    expect(withheld?.n).toBe(4);
    const s = sectionOf(findings, "deviations");
    expect(s.paragraphs).toEqual([
      // Feldmark's U9 (97 of 100, 3 without) is withheld since the complement rule, so U9 has no finding left
      "Im Jahr 2024 liegt bei 2 von 3 verglichenen Indikatoren mindestens ein Gebiet deutlich über oder unter dem Stadtwert. Deutlich heißt: Das Gebiet unterscheidet sich statistisch gesichert vom übrigen Stadtgebiet (Differenz zweier Anteile nach Newcombe, 95 %, mit Benjamini-Hochberg-Korrektur für die vielen gleichzeitigen Vergleiche).",
      "Sprachförderbedarf Deutsch (Stadt: 17,5 %): ungünstiger als die Stadt in Altstadt (30,0 %).",
      "SGB II unter 15 (Stadt: 37,5 %): ungünstiger als die Stadt in Bergheim (50,0 %) und Hafen (50,0 %); günstiger in Altstadt (10,0 %).",
      "Am häufigsten ungünstiger als die Stadt sind Altstadt, Bergheim und Hafen (je 1 Indikator).",
      "Wegen kleiner Fallzahlen sind 4 von 12 Werten dieser Ebene nicht veröffentlicht; sie gehen in diese Aussagen nicht ein."
    ]);
    // the suppressed values (3 of 60 = 5,0 %, 10 of 100 = 10,0 %) appear nowhere
    const text = findingsText(findings);
    expect(text).not.toMatch(/(^|[^\d,])5,0 %/);
    expect(s.table.rows.every((r) => r.area_id !== "2" || r.indicator_id !== "seu_german_support")).toBe(true);
    expect(s.synthetic).toBe(false);
  });

  it("kita: gaps per area against the targets, exact target hit, synthetic Kita rows", async () => {
    // computed from the raw tables (kitas, population), not from kita_facts:
    const raw = await queryRows<{area_id: string; children: number; places: number}>(
      conn,
      `SELECT p.area_id, sum(p.count) AS children, (SELECT sum(k.places_u3) FROM kitas k WHERE k.year = 2024 AND k.area_id = p.area_id) AS places
       FROM population p WHERE p.year = 2024 AND p.age_band = '0-3' GROUP BY p.area_id ORDER BY p.area_id`
    );
    // Altstadt 90 of 200 (target 0,45 × 200 = 90 → 0), Bergheim 30 of 120 (54 → 24), Feldmark 35 of 100 (45 → 10), Hafen 20 of 80 (36 → 16)
    expect(raw.map((r) => [r.area_id, r.children, r.places])).toEqual([["1", 200, 90], ["2", 120, 30], ["3", 100, 35], ["4", 80, 20]]);
    expect(raw.map((r) => Math.max(0, Math.ceil(Math.round(0.45 * r.children * 1e6) / 1e6) - r.places))).toEqual([0, 24, 10, 16]);
    const s = sectionOf(findings, "kita");
    expect(s.paragraphs).toEqual([
      // city: 175 places for 500 children = 35,0 %; ceil(0,45 × 500) = 225 → 50 missing
      "U3 (Kinder unter 3 Jahren): Stadtweit kommen auf 500 Kinder 175 genehmigte Plätze, eine Versorgungsquote von 35,0 % (Ziel: 45 %). Bis zum Ziel fehlen stadtweit 50 Plätze. " +
        "3 von 4 bewerteten Gebieten liegen unter dem Ziel; dort fehlen zusammen 50 Plätze. " +
        "Nach Größe der Lücke: Bergheim (24 Plätze, Quote 25,0 %), Hafen (16 Plätze, Quote 25,0 %) und Feldmark (10 Plätze, Quote 35,0 %).",
      // Ü3: Altstadt 210/210 (ceil 205,8 = 206 → 0), Bergheim 100/130 (128 → 28), Feldmark 95/100 (98 → 3), Hafen 70/90 (89 → 19);
      // city 475/530 = 89,6 %, ceil(519,4) = 520 → 45 (Altstadt's surplus of 4 offsets part of the area gaps of 50)
      "Ü3 (Kinder von 3 bis unter 6 Jahren): Stadtweit kommen auf 530 Kinder 475 genehmigte Plätze, eine Versorgungsquote von 89,6 % (Ziel: 98 %). Bis zum Ziel fehlen stadtweit 45 Plätze. " +
        "3 von 4 bewerteten Gebieten liegen unter dem Ziel; dort fehlen zusammen 50 Plätze. " +
        "Nach Größe der Lücke: Bergheim (28 Plätze, Quote 76,9 %), Hafen (19 Plätze, Quote 77,8 %) und Feldmark (3 Plätze, Quote 95,0 %).",
      "Fehlende Plätze: Zielquote mal Zahl der Kinder, aufgerundet, abzüglich der genehmigten Plätze."
    ]);
    expect(s.data_year).toBe(2024);
    expect(s.synthetic).toBe(true);
    expect(s.synthetic_note).toBe(SYNTHETIC_NOTE);
    expect(s.figures).toMatchObject({city_missing_u3: 50, city_missing_ue3: 45, areas_below_u3: 3, missing_in_areas_ue3: 50});
  });

  it("funding: € per child by need group and the concentration index", async () => {
    // 2024 granted: Babylotsen 20.000 € city-wide by births (200:120:100:80 children under 3) → 8.000 / 4.800 / 4.000 / 3.200,
    // Stadtteilmütter 15.000 € to Bergheim and Hafen by children 0–18 (750:500) → 9.000 / 6.000, Willkommensbesuche 2.000 € to Altstadt.
    // Per area: Altstadt 10.000, Bergheim 13.800, Feldmark 4.000, Hafen 9.200 = 37.000 €; children 0–18: 1.250, 750, 630, 500 = 3.130.
    const perArea = await queryRows<{area_id: string; amount: number}>(
      conn,
      "SELECT area_id, round(sum(amount_eur), 6) AS amount FROM measure_allocation WHERE year = 2024 AND status = 'bewilligt' GROUP BY area_id ORDER BY area_id"
    );
    expect(perArea.map((r) => r.amount)).toEqual([10000, 13800, 4000, 9200]);
    // classes 3–4 (Bergheim, Feldmark, Hafen): 27.000 / 1.880 = 14,36 €; class 1 (Altstadt): 10.000 / 1.250 = 8,00 €; ratio 1,795 → 1,8
    // concentration curve (most need first; Bergheim and Hafen tie at z = 0,66 and form one step):
    //   (1.250/3.130, 23.000/37.000), (1.880/3.130, 27.000/37.000), (1, 1) → C = Σ Δx·(y₀ + y₁) − 1 = 0,211
    const points = [[0, 0], [1250 / 3130, 23000 / 37000], [1880 / 3130, 27000 / 37000], [1, 1]] as const;
    let c = -1;
    for (let i = 1; i < points.length; i++) c += (points[i]![0] - points[i - 1]![0]) * (points[i]![1] + points[i - 1]![1]);
    expect(formatNumber(c, 2)).toBe("0,21");
    const s = sectionOf(findings, "funding");
    expect(s.paragraphs).toEqual([
      "2024 wurden 37.000 € bewilligt; das sind 11,82 € je Kind unter 18 Jahren. Weitere 5.000 € sind beantragt, aber noch nicht bewilligt.",
      "In den 3 Gebieten mit hohem oder sehr hohem Bedarf (Klassen 3 und 4: Bergheim, Feldmark und Hafen) kommen 14,36 € auf jedes Kind, im einzigen übrigen Gebiet mit Indexwert (Klasse 1: Altstadt) 8,00 €. Je Kind fließt damit in Gebiete mit hohem Bedarf das 1,8-Fache.",
      "Die Mittel sind auf die Gebiete mit hohem Bedarf konzentriert (C = 0,21): Je Kind erhalten Gebiete mit mehr Bedarf mehr Geld. Der Konzentrationsindex C reicht von -1 bis +1: 0 heißt gleich viel Geld je Kind in allen Gebieten, positive Werte heißen mehr Geld je Kind dort, wo der Bedarf höher ist, negative Werte das Gegenteil."
    ]);
    expect(s.figures.concentration_index).toBeCloseTo(c, 9);
    // 1e-9: the pipeline keeps target populations (births = children under 3 ÷ 3) to 9 decimals
    expect(s.figures.ratio_high_low).toBeCloseTo(27000 / 1880 / 8, 9);
    expect(s.data_year).toBe(2024);
    expect(s.synthetic).toBe(false);
  });

  it("reach: highest and a three-way tie for the lowest", () => {
    // Babylotsen reach 60 city-wide by births (66,7 / 40 / 33,3 / 26,7) → 36 % everywhere; Willkommensbesuche +20 in Altstadt → 44 / 66,7 = 66 %;
    // city 80 / 166,7 = 48 %
    const s = sectionOf(findings, "reach");
    expect(s.paragraphs).toEqual([
      "Erreichte Familien mit Neugeborenen (z. B. Babylotsen): stadtweit 48,0 %. Am höchsten ist der Wert in Altstadt (66,0 %), am niedrigsten in Bergheim, Feldmark und Hafen (je 36,0 %).",
      "Die Reichweite zählt die von bewilligten Maßnahmen erreichten Personen oder Familien; wer von mehreren Maßnahmen erreicht wird, zählt mehrfach. Stadtweite Maßnahmen werden nach der Größe der Zielgruppe auf die Gebiete verteilt."
    ]);
    expect(s.data_year).toBe(2024);
    expect(s.synthetic).toBe(false);
  });

  it("2023: no previous index, no dynamics, city values withheld for small numbers", async () => {
    const f = await reportFindings(conn, 2023);
    expect(sectionOf(f, "need").paragraphs).toEqual([
      "Der Bedarfsindex 2023 ordnet 4 Gebiete der Ebene „Stadtteil“ in vier Klassen ein; Klasse 4 steht für den höchsten Bedarf.",
      "In Klasse 4 (sehr hoher Bedarf) liegt 1 Gebiet: Bergheim (z = 0,80). In Klasse 3 (hoher Bedarf) liegen 2 Gebiete: Hafen (z = 0,48) und Altstadt (z = 0,16).",
      "Für 2022 liegt kein Bedarfsindex vor; ein Vergleich der Klassen mit dem Vorjahr ist nicht möglich. Eine Dynamik lässt sich für diese Gebiete nicht berechnen."
    ]);
    // 2023: tiny SEU microdata (2 children per area) – all 11 SEU indicators of the report are withheld at every level,
    // including the city; only SGB II (70, 90, 20, 80 of 200; city 260/800 = 32,5 %) can be compared.
    expect(sectionOf(f, "deviations").paragraphs).toEqual([
      "Im Jahr 2023 liegt beim einzigen verglichenen Indikator (SGB II unter 15) mindestens ein Gebiet deutlich über oder unter dem Stadtwert. Deutlich heißt: Das Gebiet unterscheidet sich statistisch gesichert vom übrigen Stadtgebiet (Differenz zweier Anteile nach Newcombe, 95 %, mit Benjamini-Hochberg-Korrektur für die vielen gleichzeitigen Vergleiche).",
      "SGB II unter 15 (Stadt: 32,5 %): ungünstiger als die Stadt in Bergheim (45,0 %) und Hafen (40,0 %); günstiger in Feldmark (10,0 %).",
      "Am häufigsten ungünstiger als die Stadt sind Bergheim und Hafen (je 1 Indikator).",
      "Wegen kleiner Fallzahlen sind 44 von 48 Werten dieser Ebene nicht veröffentlicht; sie gehen in diese Aussagen nicht ein. Bei 11 Indikatoren ist der Stadtwert selbst geheim; dort entfällt der Vergleich."
    ]);
    expect(sectionOf(f, "kita").synthetic).toBe(false);
    // 2023: only the city-wide Babylotsen (18.000 € by births) → 5,76 € per child in Altstadt, Bergheim, Hafen; 5,71 € in Feldmark
    expect(sectionOf(f, "funding").paragraphs.slice(1, 2)).toEqual([
      "In den 3 Gebieten mit hohem oder sehr hohem Bedarf (Klassen 3 und 4: Altstadt, Bergheim und Hafen) kommen 5,76 € auf jedes Kind, im einzigen übrigen Gebiet mit Indexwert (Klasse 1: Feldmark) 5,71 €. Je Kind fließt damit in beide Gruppen etwa gleich viel."
    ]);
    expect(sectionOf(f, "reach").paragraphs[0]).toBe("Erreichte Familien mit Neugeborenen (z. B. Babylotsen): stadtweit 30,0 %. In allen 4 Gebieten mit veröffentlichtem Wert liegt er bei 30,0 %.");
  });
});

describe("reportFindings – report-b (Beispielheim, 2024)", () => {
  let conn: DuckDBConnection;
  let findings: ReportFindings;
  beforeAll(async () => {
    conn = await openCity(join(FIXTURES, "report-b"), "report-b");
    findings = await reportFindings(conn, 2024);
  });

  it("stamps another city", () => {
    expect(findings.stamp.city).toBe("Beispielheim");
    expect(findings.stamp.input_hash).toBe(inputHash(join(FIXTURES, "report-b")));
    expect(findings.level).toEqual({id: "bezirk", name: "Bezirk"});
  });

  it("need: no area in class 3 or 4, the highest index, an area that left class 3, rising need elsewhere", () => {
    // 2024: 0,1 / 0,2 / 0,3 → z = −1, 0, +1 exactly at the thresholds → all class 2; 2023: 0,1 / 0,1 / 0,3 → Südviertel z = 2/√3 = 1,15 → class 3
    // changes 0, +10, 0 points → Mittelviertel dynamics z = 1,15 → class 3
    const s = sectionOf(findings, "need");
    expect(s.paragraphs).toEqual([
      "Der Bedarfsindex 2024 ordnet 3 Gebiete der Ebene „Bezirk“ in vier Klassen ein; Klasse 4 steht für den höchsten Bedarf.",
      "Kein Gebiet liegt in Klasse 4 (sehr hoher Bedarf) oder Klasse 3 (hoher Bedarf). Den höchsten Indexwert hat Südviertel (z = 1,00, Klasse 2).",
      "Gegenüber 2023 nicht mehr in Klasse 3 oder 4: Südviertel (2023 Klasse 3, 2024 Klasse 2). Zunehmenden Bedarf (Dynamikklasse 3) außerhalb der Klassen 3 und 4 zeigt Mittelviertel (z = 1,15)."
    ]);
    expect(s.figures).toMatchObject({class_4: 0, class_3: 0});
  });

  it("deviations: a single indicator, nothing withheld", () => {
    // 20, 40, 60 of 200 against 120/600 = 20 %: Nordviertel interval [6,6 %; 14,9 %] below, Südviertel [24,1 %; 36,7 %] above
    expect(wilson(20, 200)[1]).toBeLessThan(0.2);
    expect(wilson(60, 200)[0]).toBeGreaterThan(0.2);
    expect(sectionOf(findings, "deviations").paragraphs).toEqual([
      "Im Jahr 2024 liegt beim einzigen verglichenen Indikator (SGB II unter 15) mindestens ein Gebiet deutlich über oder unter dem Stadtwert. Deutlich heißt: Das Gebiet unterscheidet sich statistisch gesichert vom übrigen Stadtgebiet (Differenz zweier Anteile nach Newcombe, 95 %, mit Benjamini-Hochberg-Korrektur für die vielen gleichzeitigen Vergleiche).",
      "SGB II unter 15 (Stadt: 20,0 %): ungünstiger als die Stadt in Südviertel (30,0 %); günstiger in Nordviertel (10,0 %).",
      "Am häufigsten ungünstiger als die Stadt ist Südviertel (bei 1 Indikator).",
      "Kein Wert dieser Ebene musste wegen kleiner Fallzahlen zurückgehalten werden."
    ]);
  });

  it("kita: withheld U3 cells, a single evaluated area, a tie in the Ü3 gaps, the city's own targets", async () => {
    // U3: Nordviertel has 15 children (< 20) → primary; Mittelviertel (30 places < 50) → secondary; only Südviertel 50/140 is evaluated:
    // ceil(0,5 × 140) = 70 → 20 missing. City 90/255 = 35,3 %, ceil(127,5) = 128 → 38.
    const suppressed = await queryRows<{area_id: string; suppressed: string}>(
      conn,
      "SELECT area_id, suppressed FROM indicator_published WHERE indicator_id = 'kita_coverage_u3' AND year = 2024 AND suppressed IS NOT NULL ORDER BY area_id"
    );
    expect(suppressed).toEqual([{area_id: "10", suppressed: "primary"}, {area_id: "20", suppressed: "secondary"}]);
    const s = sectionOf(findings, "kita");
    expect(s.paragraphs).toEqual([
      "U3 (Kinder unter 3 Jahren): Stadtweit kommen auf 255 Kinder 90 genehmigte Plätze, eine Versorgungsquote von 35,3 % (Ziel: 50 %). Bis zum Ziel fehlen stadtweit 38 Plätze. " +
        "Das einzige bewertete Gebiet, Südviertel, liegt unter dem Ziel: Dort fehlen 20 Plätze (Versorgungsquote 35,7 %). " +
        "Für 2 Gebiete ist die Quote wegen kleiner Zahlen geheim und hier nicht bewertet.",
      // Ü3 (target 100 %): Nordviertel and Mittelviertel are withheld with their U3 cells – children under 3 and
      // from 3 to 6 add up to the published children under 6 (SGB II), so they are protected together;
      // Südviertel 135/150 → 15; city 240/275 = 87,3 % → 35
      "Ü3 (Kinder von 3 bis unter 6 Jahren): Stadtweit kommen auf 275 Kinder 240 genehmigte Plätze, eine Versorgungsquote von 87,3 % (Ziel: 100 %). Bis zum Ziel fehlen stadtweit 35 Plätze. " +
        "Das einzige bewertete Gebiet, Südviertel, liegt unter dem Ziel: Dort fehlen 15 Plätze (Versorgungsquote 90,0 %). Für 2 Gebiete ist die Quote wegen kleiner Zahlen geheim und hier nicht bewertet.",
      "Fehlende Plätze: Zielquote mal Zahl der Kinder, aufgerundet, abzüglich der genehmigten Plätze."
    ]);
    // the withheld areas' children and places are not in the section table either
    const north = s.table.rows.find((r) => r.area_id === "10")!;
    expect([north.children_u3, north.places_u3, north.coverage_u3, north.missing_u3]).toEqual([null, null, null, null]);
    expect(north.protection).toBe("U3 und Ü3 geheim (kleine Fallzahl)");
    expect(findingsText(findings)).not.toContain("66,7 %"); // Nordviertel's withheld 10/15
    expect(s.synthetic).toBe(false);
  });

  it("funding: only 2023 granted – fallback, a single high-need area, requested money of 2024", () => {
    // 2023: Familienbüro 12.000 € by children 0–18 (100:500:900) → 800 / 4.000 / 7.200; Sprachcafé 6.000 € Südviertel;
    // Babylotsen 5.100 € by births (15:100:140 children under 3) → 300 / 2.000 / 2.800 → 1.100 / 6.000 / 16.000 = 23.100 € for 1.500 children.
    // Need classes of 2023: Südviertel 3 → 16.000 / 900 = 17,78 €; Nord + Mitte 7.100 / 600 = 11,83 €; ratio 1,50.
    // Curve: Südviertel (0,6; 16.000/23.100), then Nord and Mitte tied at z = −0,58 → C = 0,6 · 0,6926 + 0,4 · 1,6926 − 1 = 0,093
    const s = sectionOf(findings, "funding");
    expect(s.paragraphs).toEqual([
      "Für 2024 liegen keine bewilligten Fördermittel vor (beantragt: 9.000 €); die folgenden Angaben beziehen sich auf 2023.",
      "2023 wurden 23.100 € bewilligt; das sind 15,40 € je Kind unter 18 Jahren.",
      // the child populations of Nordviertel and Mittelviertel are withheld (under 3: fewer than 20), so only Südviertel is compared
      "Alle Gebiete mit Indexwert liegen in den Bedarfsklassen 3 oder 4; ein Vergleich zwischen Gebieten mit hohem und geringerem Bedarf ist nicht möglich. Für 2 Gebiete sind die Zahlen zum Schutz kleiner Fallzahlen geheim; sie sind in diesem Vergleich und im Konzentrationsindex nicht enthalten.",
      "Für einen Konzentrationsindex sind zu wenige Gebiete mit veröffentlichten Zahlen und Bedarfsindex vorhanden; er entfällt."
    ]);
    // a single comparable area (Südviertel): no concentration index
    expect(s.figures.concentration_index).toBeNull();
    expect(s.data_year).toBe(2023);
    expect(s.synthetic).toBe(true);
  });

  it("reach: fallback to 2023, one published area, two withheld", () => {
    // Babylotsen reach 40 by births: Nordviertel 5 births (< 20) → primary, Mittelviertel → secondary; Südviertel 21,96 / 46,67 = 47,1 %
    const s = sectionOf(findings, "reach");
    expect(s.paragraphs).toEqual([
      "Für 2024 liegen keine Reichweiten vor; die Angaben beziehen sich auf 2023.",
      "Erreichte Familien mit Neugeborenen (z. B. Babylotsen): stadtweit 47,1 %. Veröffentlicht ist der Wert nur für Südviertel (47,1 %). Für 2 Gebiete ist der Wert wegen kleiner Zahlen geheim.",
      "Die Reichweite zählt die von bewilligten Maßnahmen erreichten Personen oder Familien; wer von mehreren Maßnahmen erreicht wird, zählt mehrfach. Stadtweite Maßnahmen werden nach der Größe der Zielgruppe auf die Gebiete verteilt."
    ]);
    expect(s.synthetic).toBe(true);
    const withheld = s.table.rows.filter((r) => r.protection !== "").sort((a, b) => String(a.area_id).localeCompare(String(b.area_id)));
    expect(withheld.map((r) => [r.area_id, r.reach, r.target_population, r.rate])).toEqual([
      ["10", null, null, null],
      ["20", null, null, null]
    ]);
  });

  it("a year without any data gives the empty forms", async () => {
    const f = await reportFindings(conn, 2022);
    expect(f.sections.map((s) => s.paragraphs)).toEqual([
      ["Für 2022 liegt auf der Ebene „Bezirk“ kein Bedarfsindex vor."],
      ["Für 2022 liegen auf der Ebene „Bezirk“ keine Indikatorwerte für einen Vergleich mit dem Stadtwert vor."],
      ["Ein Trend braucht fünf aufeinanderfolgende Jahre mit veröffentlichten Werten (2018 bis 2022); auf der Ebene „Bezirk“ liegen sie für keinen Indikator vor."],
      ["Für 2022 liegen keine Kita-Daten vor."],
      ["Für 2022 und die Jahre davor liegen keine bewilligten Fördermittel vor."],
      ["Für 2022 liegen keine Angaben zur Reichweite der Maßnahmen vor."]
    ]);
    expect(f.sections.every((s) => !s.synthetic && s.data_year === null)).toBe(true);
  });

  it("rejects an unknown level and a non-integer year", async () => {
    await expect(reportFindings(conn, 2024, {level: "stadt"})).rejects.toThrow(/Unbekannte Gebietsebene „stadt“ \(vorhanden: bezirk\)/);
    await expect(reportFindings(conn, 2024.5)).rejects.toThrow(/ganze Zahl/);
  });
});

describe("reportFindings – report-b with a tiny Bezirk (no index, withheld funding cells)", () => {
  it("leaves the area without index and the withheld funding cells out of the comparison, without quoting them", async () => {
    // Kleinweiler: 17 children 0–18 (2 under 3), no SGB II figures → no need index; funding_per_child withheld (primary),
    // Nordviertel with it (secondary). Comparison over the open areas only: Südviertel 15.897,52 € / 900 = 17,66 €,
    // Mittelviertel 5.939,61 € / 500 = 11,88 € (Familienbüro 12.000 × 500/1.517 + Babylotsen 5.100 × 100/257); ratio 1,49 → 1,5.
    // City 23.100 € / 1.517 = 15,23 €. Curve over Süd and Mitte: C = 0,643 · 0,728 + 0,357 · 1,728 − 1 = 0,085 → 0,09.
    const dir = join(tmp, "report-b-klein");
    cpSync(join(FIXTURES, "report-b"), dir, {recursive: true});
    appendFileSync(join(dir, "areas.csv"), "40;Kleinweiler;bezirk;00\n");
    for (const year of [2023, 2024]) {
      for (const [band, n] of [["0-3", 2], ["3-6", 3], ["6-10", 4], ["10-15", 5], ["15-18", 3]] as const) appendFileSync(join(dir, "population.csv"), `${year};40;${band};${n}\n`);
    }
    const conn = await openCity(dir, "report-b-klein");
    const f = await reportFindings(conn, 2024);
    expect(sectionOf(f, "need").paragraphs[0]).toBe(
      "Der Bedarfsindex 2024 ordnet 3 Gebiete der Ebene „Bezirk“ in vier Klassen ein; Klasse 4 steht für den höchsten Bedarf. Für 1 Gebiet fehlt ein Indexwert (unvollständige Daten): Kleinweiler."
    );
    const funding = sectionOf(f, "funding");
    expect(funding.paragraphs.slice(1)).toEqual([
      "2023 wurden 23.100 € bewilligt; das sind 15,23 € je Kind unter 18 Jahren.",
      "Alle Gebiete mit Indexwert liegen in den Bedarfsklassen 3 oder 4; ein Vergleich zwischen Gebieten mit hohem und geringerem Bedarf ist nicht möglich. Für 3 Gebiete sind die Zahlen zum Schutz kleiner Fallzahlen geheim; sie sind in diesem Vergleich und im Konzentrationsindex nicht enthalten.",
      "Für einen Konzentrationsindex sind zu wenige Gebiete mit veröffentlichten Zahlen und Bedarfsindex vorhanden; er entfällt."
    ]);
    const secret = funding.table.rows.filter((r) => r.protection !== "").map((r) => [r.area_id, r.children, r.amount_eur, r.eur_per_child]);
    // Mittelviertel (20) is the partner that protects Nordviertel's small child population
    expect(secret.sort()).toEqual([["10", null, null, null], ["20", null, null, null], ["40", null, null, null]]);
    // the U3 gaps: Nordviertel (15 children) and Kleinweiler (2) are small; Kleinweiler alone can hide only 2 of
    // Nordviertel's children (protection width 3), so Mittelviertel is withheld too; Südviertel 50/140 misses 20 places
    expect(sectionOf(f, "kita").paragraphs[0]).toBe(
      "U3 (Kinder unter 3 Jahren): Stadtweit kommen auf 257 Kinder 90 genehmigte Plätze, eine Versorgungsquote von 35,0 % (Ziel: 50 %). Bis zum Ziel fehlen stadtweit 39 Plätze. " +
        "Das einzige bewertete Gebiet, Südviertel, liegt unter dem Ziel: Dort fehlen 20 Plätze (Versorgungsquote 35,7 %). " +
        "Für 3 Gebiete ist die Quote wegen kleiner Zahlen geheim und hier nicht bewertet."
    );
  });
});

describe("reportFindings – the embedded cities", () => {
  for (const [city, level] of [["bochum", undefined], ["bottrop", undefined], ["bottrop", "stadtbezirk"], ["koeln", undefined]] as const) {
    it(`${city}${level ? ` (${level})` : ""} 2024: complete German text without placeholders`, async () => {
      const conn = await openCity(join(ROOT, "data", city), `${city}-${level ?? "default"}`);
      const f = await reportFindings(conn, 2024, level ? {level} : {});
      expect(f.sections).toHaveLength(6);
      for (const s of f.sections) {
        expect(s.paragraphs.length).toBeGreaterThan(0);
        for (const p of s.paragraphs) {
          expect(p).not.toMatch(/NaN|undefined|null|Infinity|\[object/);
          expect(p).toMatch(/[.:]$/);
        }
      }
      // every z value is written with a decimal comma
      expect(findingsText(f)).not.toMatch(/z = -?\d+\.\d/);
      // the funding year falls back to the last year with granted money
      const [last] = await queryRows<{y: number}>(conn, "SELECT max(year) AS y FROM measures WHERE status = 'bewilligt' AND year <= 2024");
      expect(f.sections.find((s) => s.id === "funding")!.data_year).toBe(last!.y);
    });
  }
});
