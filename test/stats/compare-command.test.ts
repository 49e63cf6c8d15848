import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import Papa from "papaparse";
import {afterAll, describe, expect, it} from "vitest";
import {main, usage} from "../../loaders/cli.ts";
import {runCompareCommand} from "../../loaders/commands/compare.ts";
import {Z_998, compareWithRest, funnelLimits} from "../../loaders/stats/compare.ts";
import {recentTrend} from "../../loaders/stats/trend.ts";

const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-compare-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

async function run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = "";
  let stderr = "";
  const code = await runCompareCommand(argv, {stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s)});
  return {code, stdout, stderr};
}

function parseCsv(text: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(text, {header: true, skipEmptyLines: true, dynamicTyping: false}).data;
}

function writeInput(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content, "utf8");
  return path;
}

const HEADER = [
  "numerator", "denominator", "rate", "ci95_lo", "ci95_hi", "ci998_lo", "ci998_hi",
  "funnel95_lo", "funnel95_hi", "funnel998_lo", "funnel998_hi", "benchmark", "comparison", "p_value", "comparison_fdr"
];

describe("chancenatlas compare – one year", () => {
  // semicolon-separated, German decimal comma, quoted ids with leading zeros, a total row
  const GERMAN = 'Gebiet;Kinder SGB II;Kinder\n"001";12;80\n"002";30,0;100\n"003";5;60\nGesamt;47;240\n';

  it("reads ; and decimal commas, keeps ids as text and compares with the rest of the city", async () => {
    const input = writeInput("german.csv", GERMAN);
    const {code, stdout, stderr} = await run([input, "--area", "Gebiet", "--numerator", "Kinder SGB II", "--denominator", "Kinder"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(["Gebiet", ...HEADER].join(","));
    const rows = parseCsv(stdout);
    expect(rows.map((r) => r.Gebiet)).toEqual(["001", "002", "003"]);
    expect(stdout).toContain("\n001,12,80,0.1500000000,");
    // 001: 12/80, Wilson 95 % [0.087940, 0.244132] (docs/methods.md section 2), 99.8 % [0.0648917, 0.3097561]
    expect(rows[0]!.rate).toBe("0.1500000000");
    expect(rows[0]!.ci95_lo).toBe("0.0879404051");
    expect(rows[0]!.ci95_hi).toBe("0.2441322856");
    expect(Number(rows[0]!.ci998_lo)).toBeCloseTo(0.0648917, 7);
    expect(Number(rows[0]!.ci998_hi)).toBeCloseTo(0.3097561, 7);
    // 002: 30/100 against the rest (12 + 5)/(80 + 60) = 17/140 = 0.1214286
    // funnel 95 % at n = 100: 0.1214286 ± 1.959964·√(0.1214286·0.8785714/100) = ± 1.959964·0.0326620 = ± 0.0640173
    //   → [0.0574113, 0.1854458]
    const r2 = rows[1]!;
    expect(r2.benchmark).toBe("0.1214285714");
    expect(Number(r2.funnel95_lo)).toBeCloseTo(0.0574113, 7);
    expect(Number(r2.funnel95_hi)).toBeCloseTo(0.1854458, 7);
    const f998 = funnelLimits(100, 17 / 140, Z_998)!;
    expect(Number(r2.funnel998_lo)).toBeCloseTo(f998.lo, 10);
    expect(Number(r2.funnel998_hi)).toBeCloseTo(f998.hi, 10);
    // 0.30 lies above both funnels and Newcombe's interval of 0.3 − 0.1214 lies above 0 → higher
    expect(r2.comparison).toBe("higher");
    const direct = compareWithRest(30, 100, 47, 240)!;
    expect(Number(r2.p_value)).toBeCloseTo(direct.pValue, 12);
    expect(r2.comparison_fdr).toBe("higher");
    // 003: 5/60 = 0.0833 against 42/180 = 0.2333 → lower; 001 similar
    expect(rows.map((r) => r.comparison)).toEqual(["similar", "higher", "lower"]);
    expect(stderr).toContain("Zeile 5: als Summenzeile erkannt");
    expect(stderr).toContain("3 verglichen – 1 höher, 1 ähnlich, 1 niedriger");
  });

  it("comma-delimited with --benchmark total and --level 99.8, written with --out", async () => {
    const input = writeInput("plain.csv", "id,k,n\n01,30,100\n02,12,80\n03,5,60\n04,40,400\n");
    const out = join(tmp, "plain-out.csv");
    const {code, stdout, stderr} = await run([input, "--area", "id", "--numerator", "k", "--denominator", "n", "--benchmark", "total", "--level", "99.8", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`geschrieben nach ${out}`);
    expect(stderr).toContain("ganze Stadt, 99,8 %");
    const bytes = readFileSync(out);
    expect(bytes[0]).toBe("i".charCodeAt(0));
    const rows = parseCsv(bytes.toString("utf8"));
    // total = 87/640 = 0.1359375 for every row
    expect(rows.every((r) => r.benchmark === "0.1359375000")).toBe(true);
    // 01: Wilson 99.8 % of 30/100 = [0.1810163, 0.4538521] lies above 0.1359 → higher;
    // 04: 40/400 = 0.1, Wilson 99.8 % [0.0659, 0.1487] contains 0.1359 → similar
    expect(rows.map((r) => r.comparison)).toEqual(["higher", "similar", "similar", "similar"]);
    expect(rows[0]!.id).toBe("01");
  });

  it("--benchmark with a fixed value (decimal comma accepted) and --na markers", async () => {
    const input = writeInput("value.csv", "id;k;n\nA;12;80\nB;-9999;50\nC;2;80\n");
    const {code, stdout, stderr} = await run([input, "--area", "id", "--numerator", "k", "--denominator", "n", "--benchmark", "0,2", "--na", "-9999"]);
    expect(code).toBe(0);
    const rows = parseCsv(stdout);
    expect(rows.map((r) => r.benchmark)).toEqual(["0.2000000000", "", "0.2000000000"]);
    // A: Wilson [0.0879, 0.2441] contains 0.2 → similar; C: 2/80 Wilson [0.0069, 0.0867] below 0.2 → lower
    expect(rows.map((r) => r.comparison)).toEqual(["similar", "", "lower"]);
    expect(rows[1]!.numerator).toBe("");
    expect(stderr).toContain("Zeile 3 (id B): fehlender Wert in k („-9999“) – keine Quote und kein Vergleich.");
  });
});

describe("chancenatlas compare – with --year", () => {
  // area 0101: 20, 30, 40, 50, 60 of 200 in 2019–2023 → increasing
  // area 0102: 40, 42, 39, 41, 40 of 200 → no change
  // area 0103: only 2021–2023 → cannot be calculated
  const lines = ["Bezirk;Jahr;k;n"];
  const rise = [20, 30, 40, 50, 60];
  const flat = [40, 42, 39, 41, 40];
  for (let i = 0; i < 5; i++) lines.push(`0101;${2019 + i};${rise[i]};200`);
  for (let i = 0; i < 5; i++) lines.push(`0102;${2019 + i};${flat[i]};200`);
  for (let i = 2; i < 5; i++) lines.push(`0103;${2019 + i};${10 + i};100`);
  const YEARS = lines.join("\n") + "\n";

  it("compares per year and writes the recent trend on each area's latest row", async () => {
    const input = writeInput("years.csv", YEARS);
    const {code, stdout, stderr} = await run([input, "--area", "Bezirk", "--numerator", "k", "--denominator", "n", "--year", "Jahr"]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(["Bezirk", "Jahr", ...HEADER, "trend", "trend_chi2", "trend_slope"].join(","));
    const rows = parseCsv(stdout);
    expect(rows).toHaveLength(13);
    const latest = (area: string): Record<string, string> => rows.find((r) => r.Bezirk === area && r.Jahr === "2023")!;
    expect(latest("0101").trend).toBe("increasing");
    const expected = recentTrend(rise.map((k, i) => ({year: 2019 + i, numerator: k, denominator: 200})));
    expect(Number(latest("0101").trend_chi2)).toBeCloseTo(expected.chi2!, 9);
    expect(Number(latest("0101").trend_slope)).toBeCloseTo(expected.slope!, 9);
    expect(latest("0102").trend).toBe("no_change");
    expect(latest("0103").trend).toBe("cannot_be_calculated");
    expect(latest("0103").trend_chi2).toBe("");
    // other rows: empty trend columns
    const earlier = rows.filter((r) => r.Jahr !== "2023");
    expect(earlier).toHaveLength(10);
    expect(earlier.every((r) => r.trend === "" && r.trend_chi2 === "" && r.trend_slope === "")).toBe(true);
    // the benchmark is per year: in 2019 area 0101 (20/200) against the rest 40/200 = 0.2
    const first = rows.find((r) => r.Bezirk === "0101" && r.Jahr === "2019")!;
    expect(first.benchmark).toBe("0.2000000000");
    // in 2021 three areas: 0101 40/200 against (39 + 12)/(200 + 100) = 0.17
    const mid = rows.find((r) => r.Bezirk === "0101" && r.Jahr === "2021")!;
    expect(mid.benchmark).toBe("0.1700000000");
    expect(stderr).toContain("Trend: 1 steigend, 0 fallend, 1 ohne signifikante Veränderung, 1 nicht berechenbar");
  });

  it("a missing count within the five years makes the trend not calculable", async () => {
    const input = writeInput("years-gap.csv", YEARS.replace("0101;2021;40;200", "0101;2021;.;200"));
    const {code, stdout} = await run([input, "--area", "Bezirk", "--numerator", "k", "--denominator", "n", "--year", "Jahr"]);
    expect(code).toBe(0);
    const row = parseCsv(stdout).find((r) => r.Bezirk === "0101" && r.Jahr === "2023")!;
    expect(row.trend).toBe("cannot_be_calculated");
  });
});

describe("chancenatlas compare – bad input", () => {
  it("exit 1 with file, line and what to fix: unreadable numbers, numerator > denominator, negative, duplicates, bad years", async () => {
    const bad = writeInput("bad.csv", "id;jahr;k;n\n01;2023;5;50\n02;2023;abc;40\n03;2023;60;50\n04;2023;-1;50\n01;2023;6;50\n05;zwanzig;1;10\n06;2023;7;70\n");
    const result = await run([bad, "--area", "id", "--numerator", "k", "--denominator", "n", "--year", "jahr"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Fehler: ${bad}, Zeile 3 (id 02, jahr 2023), Spalte k: „abc“ ist keine lesbare Zahl`);
    expect(result.stderr).toContain(`Fehler: ${bad}, Zeile 4 (id 03, jahr 2023): der Zähler 60 (k) ist größer als der Nenner 50 (n)`);
    expect(result.stderr).toContain("Zeile 5 (id 04, jahr 2023): negative Anzahl");
    expect(result.stderr).toContain("Zeile 6 (id 01, jahr 2023): Gebiet 01 im Jahr 2023 kommt schon in Zeile 2 vor");
    expect(result.stderr).toContain("Zeile 7 (id 05, jahr zwanzig): „zwanzig“ in Spalte jahr ist kein Jahr");
    // the output is still written: every input row, bad rows with empty results; only 01 and 06 are compared
    const rows = parseCsv(result.stdout);
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.comparison)).toEqual(["similar", "", "", "", "", "", "similar"]);
    // 01 (5/50) is compared with the rest 7/70 only – bad rows are not in the city sums
    expect(rows[0]!.benchmark).toBe("0.1000000000");
  });

  it("exit 2 for usage errors and unknown columns, with German messages", async () => {
    const input = writeInput("usage.csv", "id;k;n\n1;2;10\n2;3;10\n");
    const cases: [string[], RegExp][] = [
      [[], /Eingabedatei \(CSV\) fehlt/],
      [[input, "--numerator", "k", "--denominator", "n"], /--area <spalte> fehlt/],
      [[input, "--area", "id", "--denominator", "n"], /--numerator <spalte> fehlt/],
      [[input, "--area", "id", "--numerator", "k"], /--denominator <spalte> fehlt/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "k"], /mehrfach angegeben/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "n", "--level", "90"], /erlaubt sind 95 oder 99\.8/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "n", "--benchmark", "20"], /0\.2 statt 20/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "n", "--benchmark", "city"], /rest, total oder ein Anteil/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "n", "--colour", "x"], /Unbekannte Option „--colour“/],
      [[input, "--area", "id", "--numerator", "k", "--denominator", "x"], /Pflichtspalte fehlt: „x“/],
      [[join(tmp, "nope.csv"), "--area", "id", "--numerator", "k", "--denominator", "n"], /nicht gefunden/]
    ];
    let checked = 0;
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).toMatch(message);
      checked++;
    }
    expect(checked).toBe(cases.length);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Aufruf: chancenatlas compare <csv>");
  });

  it("is registered in the command line", async () => {
    expect(usage()).toContain("compare");
    let stdout = "";
    const input = writeInput("cli.csv", "id,k,n\n1,2,10\n2,3,10\n");
    const code = await main(["compare", input, "--area", "id", "--numerator", "k", "--denominator", "n"], {
      stdout: (s) => void (stdout += s),
      stderr: () => undefined
    });
    expect(code).toBe(0);
    expect(parseCsv(stdout)).toHaveLength(2);
  });
});
