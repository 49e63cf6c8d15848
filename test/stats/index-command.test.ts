import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import Papa from "papaparse";
import {afterAll, describe, expect, it} from "vitest";
import {runIndexCommand} from "../../loaders/commands/index-command.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "stats", "berlin-mss-2021");
const MSS_INPUT = join(FIXTURES, "mss_2021_index_indikatoren.csv");
const MSS_PUBLISHED = join(FIXTURES, "mss_2021.csv");
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-index-"));

afterAll(() => rmSync(tmp, {recursive: true, force: true}));

async function run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = "";
  let stderr = "";
  const code = await runIndexCommand(argv, {stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s)});
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

describe("chancenatlas index – Berlin MSS 2021 (acceptance)", () => {
  it("reproduces all 536 published status classes and all 536 dynamics classes; ids keep leading zeros; the 6 areas with -9999 get empty classes", async () => {
    const {code, stdout, stderr} = await run([
      MSS_INPUT, "--id", "PLR_ID", "--indicators", "S1,S3,S4", "--dynamics", "D1,D3,D4", "--na", "-9999"
    ]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe("PLR_ID,status_z,status_class,dynamics_z,dynamics_class");
    const output = parseCsv(stdout);
    const published = parseCsv(readFileSync(MSS_PUBLISHED, "utf8"));
    expect(output).toHaveLength(542);
    expect(published).toHaveLength(542);
    const byId = new Map(output.map((row) => [row.PLR_ID!, row]));
    expect(byId.size).toBe(542);
    // Berlin's dynamics classes are 1 positiv, 3 stabil, 5 negativ; ours 1, 2, 3
    const toBerlin: Record<string, string> = {"1": "1", "2": "3", "3": "5"};
    let status = 0;
    let dynamics = 0;
    const empty: string[] = [];
    for (const row of published) {
      const ours = byId.get(row.PLR_ID!);
      expect(ours, `PLR_ID ${row.PLR_ID} is missing in the output`).toBeDefined();
      if (row.SI_N === "") {
        empty.push(row.PLR_ID!);
        expect([ours!.status_z, ours!.status_class, ours!.dynamics_z, ours!.dynamics_class]).toEqual(["", "", "", ""]);
        continue;
      }
      expect(ours!.status_class, `status PLR ${row.PLR_ID}`).toBe(row.SI_N);
      expect(toBerlin[ours!.dynamics_class!], `dynamics PLR ${row.PLR_ID}`).toBe(row.DI_N);
      status++;
      dynamics++;
    }
    expect(status).toBe(536);
    expect(dynamics).toBe(536);
    expect(empty.sort()).toEqual(["03300515", "03400831", "04400725", "05300838", "06200418", "10100205"]);
    // leading zeros: the output ids are the input ids as text
    expect(output[0]!.PLR_ID).toBe("01100101");
    expect(output.every((row) => /^\d{8}$/.test(row.PLR_ID!))).toBe(true);
    expect(stdout).toContain("\n01100101,");
    // the six excluded rows are reported in German
    const notes = stderr.split("\n").filter((line) => line.startsWith("Hinweis:"));
    expect(notes).toHaveLength(6);
    expect(notes[0]).toContain("Zeile 101 (PLR_ID 03300515): fehlender Wert in S1 („-9999“)");
    expect(notes[0]).toContain("keine Statusklasse und keine Dynamikklasse");
    expect(stderr).toContain("536 mit Statusklasse, 536 mit Dynamikklasse");
    // z values: 10 decimals, decimal point; the standardised index has mean 0 and (sample) SD 1
    const z = output.filter((row) => row.status_z !== "").map((row) => Number(row.status_z));
    expect(output[0]!.status_z).toMatch(/^-?\d+\.\d{10}$/);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1));
    expect(Math.abs(mean)).toBeLessThan(1e-9);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-9);
  });

  it("gives the same classes with --sd population and writes --out as UTF-8 without BOM", async () => {
    const out = join(tmp, "mss.csv");
    const {code, stdout, stderr} = await run([
      MSS_INPUT, "--id", "PLR_ID", "--indicators", "S1,S3,S4", "--dynamics", "D1,D3,D4", "--na", "-9999", "--sd", "population", "--out", out
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(`geschrieben nach ${out}`);
    const bytes = readFileSync(out);
    expect(bytes[0]).toBe("P".charCodeAt(0));
    const published = new Map(parseCsv(readFileSync(MSS_PUBLISHED, "utf8")).map((row) => [row.PLR_ID!, row.SI_N!]));
    for (const row of parseCsv(bytes.toString("utf8"))) expect(row.status_class).toBe(published.get(row.PLR_ID!));
  });
});

describe("chancenatlas index – small inputs", () => {
  // Semicolon-separated, German decimal commas, a quoted id with leading zero, an empty cell and a marker.
  //   id   a      b
  //   001  1,0    10     z_a = −2/√2.5 = −1.2649111, z_b = −10/√150 = −0.8164966
  //   002  2,0    20
  //   003  3,0    10
  //   004  4,0    40
  //   005  5,0    20
  //   006  (empty) 30    → excluded
  //   007  .      30     → excluded ("." is a standard marker)
  // Same numbers as test/stats/need-index.test.ts: index 001 −1.1951862 → 1, 004 1.3008663 → 3, others 2
  const SMALL = 'id;a;b\n"001";1,0;10\n"002";2,0;20\n"003";3,0;10\n"004";4,0;40\n"005";5,0;20\n"006";;30\n"007";.;30\n';

  it("reads German CSV and writes comma/point CSV with empty classes for excluded rows", async () => {
    const input = writeInput("small.csv", SMALL);
    const {code, stdout, stderr} = await run([input, "--id", "id", "--indicators", "a,b"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "id,status_z,status_class,dynamics_z,dynamics_class",
        "001,-1.1951862211,1,,",
        "002,-0.3631687138,2,,",
        "003,-0.4688487935,2,,",
        "004,1.3008663007,3,,",
        "005,0.7263374276,2,,",
        "006,,,,",
        "007,,,,",
        ""
      ].join("\n")
    );
    expect(stderr).toContain("Zeile 7 (id 006): fehlender Wert in a (leer)");
    expect(stderr).toContain("Zeile 8 (id 007): fehlender Wert in a („.“)");
    expect(stderr).toContain("keine Statusklasse.");
  });

  it("applies --polarity, --weights and --thresholds", async () => {
    const input = writeInput("small2.csv", SMALL);
    // polarity −1 on b: index 004 −1.0173591 → 1, 005 1.2861773 → 3 (see need-index.test.ts)
    const reversed = await run([input, "--id", "id", "--indicators", "a,b", "--polarity", "+1,-1"]);
    expect(parseCsv(reversed.stdout).map((row) => row.status_class)).toEqual(["2", "2", "2", "1", "3", "", ""]);
    // weights 2,1: 001 −1.2589053 → 1, 004 1.0902090 → 3, 005 0.9517343 → 2
    const weighted = await run([input, "--id", "id", "--indicators", "a,b", "--weights", "2,1"]);
    expect(parseCsv(weighted.stdout).map((row) => row.status_class)).toEqual(["1", "2", "2", "3", "2", "", ""]);
    // thresholds −0.4, 0, 1: 001 −1.195 → 1; 002 −0.363 → 2; 003 −0.469 → 1; 004 1.301 → 4; 005 0.726 → 3
    const custom = await run([input, "--id", "id", "--indicators", "a,b", "--thresholds", "-0.4,0,1"]);
    expect(parseCsv(custom.stdout).map((row) => row.status_class)).toEqual(["1", "2", "1", "4", "3", "", ""]);
  });

  it("computes the dynamics index from --dynamics columns", async () => {
    // dynamics columns c, d hold the same numbers as a, b → the same index, classes with (−1, 1): 1, 2, 2, 3, 2
    const input = writeInput("dyn.csv", "id,a,b,c,d\n01,1,10,1,10\n02,2,20,2,20\n03,3,10,3,10\n04,4,40,4,40\n05,5,20,5,20\n");
    const {code, stdout} = await run([input, "--id", "id", "--indicators", "a,b", "--dynamics", "c,d"]);
    expect(code).toBe(0);
    const rows = parseCsv(stdout);
    expect(rows.map((row) => row.dynamics_class)).toEqual(["1", "2", "2", "3", "2"]);
    expect(rows.map((row) => row.dynamics_z)).toEqual(rows.map((row) => row.status_z));
    expect(rows[0]!.id).toBe("01");
  });

  it("exit 1 for unreadable numbers (reported, treated as missing) and duplicate ids", async () => {
    const bad = writeInput("bad.csv", "id,a\n1,1\n2,2\n3,abc\n4,4\n");
    const result = await run([bad, "--id", "id", "--indicators", "a"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Zeile 4 (id 3), Spalte a: „abc“ ist keine lesbare Zahl");
    // valid 1, 2, 4: mean 7/3, sample SD √((16/9 + 1/9 + 25/9)/2) = √(7/3) = 1.5275252;
    // z = −0.8728716, −0.2182179, 1.0910895 → classes 2, 2, 3
    const rows = parseCsv(result.stdout);
    expect(rows.map((row) => row.status_class)).toEqual(["2", "2", "", "3"]);
    expect(rows[3]!.status_z).toBe("1.0910894512");
    const duplicate = writeInput("dup.csv", "id,a\n1,1\n2,2\n1,3\n4,4\n");
    const dup = await run([duplicate, "--id", "id", "--indicators", "a"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("Kennung 1 kommt schon in Zeile 2 vor");
  });

  it("exit 1 when an indicator has no variation", async () => {
    const flat = writeInput("flat.csv", "id,a\n1,5\n2,5\n3,5\n");
    const result = await run([flat, "--id", "id", "--indicators", "a"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("„a“ hat keine Streuung");
  });

  it("exit 2 for usage errors, with German messages", async () => {
    const input = writeInput("usage.csv", SMALL);
    const cases: [string[], RegExp][] = [
      [[], /Eingabedatei \(CSV\) fehlt/],
      [[input, "--indicators", "a,b"], /--id <spalte> fehlt/],
      [[input, "--id", "id"], /--indicators <s1,s2,…> fehlt/],
      [[input, "--id", "id", "--indicators", "a,b", "--weights", "1"], /1 Gewichte für 2 Indikatoren/],
      [[input, "--id", "id", "--indicators", "a,b", "--polarity", "+1,2"], /„2“ ist weder \+1 noch -1/],
      [[input, "--id", "id", "--indicators", "a,b", "--thresholds", "1,-1"], /aufsteigend/],
      [[input, "--id", "id", "--indicators", "a,b", "--sd", "robust"], /sample oder population/],
      [[input, "--id", "id", "--indicators", "a,b", "--colour", "x"], /Unbekannte Option „--colour“/],
      [[input, "--id", "id", "--indicators", "a,x"], /Pflichtspalte fehlt: „x“/],
      [[join(tmp, "nope.csv"), "--id", "id", "--indicators", "a"], /nicht gefunden/]
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Aufruf: chancenatlas index <csv>");
  });
});
