/**
 * Benchmarks of the data pipeline (npm run bench). Figures are CPU seconds (all threads of
 * the process, DuckDB's included) and peak memory, each measured in its own child process,
 * and targets are ratios against a floor measured in the same run – the machine is shared,
 * so wall-clock times would pass or fail with its load.
 *
 * 1. the embedded cities: read, check, load, indicators, protection (informational);
 * 2. the state scale (scripts/bench-state.ts): 2.000 lowest-level areas, 3 levels, 10 years,
 *    1,6 million school-entry rows, against DuckDB reading the same seu.csv;
 *    then the site build of that state and of Köln (scripts/bench-site.ts);
 * 3. small-number protection alone at 500 and 2.000 areas (scripts/bench-protection.ts).
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {cityDir, PROJECT_ROOT} from "../loaders/city.ts";
import {benchSiteBuild, type SiteBench} from "./bench-site.ts";
import {buildCity} from "../loaders/pipeline.ts";
import {benchProtectionInChild, type ProtectionBench} from "./bench-protection.ts";
import {benchState, type ChildMeasure} from "./bench-state.ts";

const MEMORY_TARGET_MB = 1024;
const PROTECTION_TARGET_CPU = 30;
/** load + indicators + protection at state scale: at most this multiple of the floor's CPU time */
const STATE_RATIO_TARGET = 2;
/** site builds, CPU seconds of all processes */
const STATE_SITE_TARGET_CPU = 180;
const KOELN_SITE_TARGET_CPU = 30;

/** One embedded city in a child process: CPU seconds and peak memory of the whole build. */
function embeddedCity(city: string): ChildMeasure {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--city", city], {encoding: "utf8"});
  return JSON.parse(out.trim().split("\n").at(-1)!) as ChildMeasure;
}

if (process.argv[2] === "--city") {
  const city = process.argv[3]!;
  const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-bench-"));
  try {
    const start = process.cpuUsage();
    const steps: NonNullable<ChildMeasure["steps"]> = [];
    await buildCity(cityDir(city), join(tmp, `${city}.duckdb`), {onStep: (s) => steps.push(s)});
    const used = process.cpuUsage(start);
    const {readFileSync} = await import("node:fs");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);
    console.log(JSON.stringify({cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: Math.round(kb / 1024), steps}));
  } finally {
    rmSync(tmp, {recursive: true, force: true});
  }
} else {
  let failed = 0;
  const fmt = (x: number, digits = 1): string => x.toLocaleString("de-DE", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  const stepText = (m: ChildMeasure): string => (m.steps ?? []).map((s) => `${s.step} ${fmt(s.cpuSeconds)} s`).join(", ");
  console.log("Benchmark Chancenatlas-Pipeline (CPU-Sekunden aller Threads, Spitzen-RSS je Kindprozess)\n");

  console.log("Eingebettete Städte: einlesen, prüfen, laden, Indikatoren, Geheimhaltung");
  for (const city of ["bochum", "bottrop", "koeln"]) {
    const m = embeddedCity(city);
    const memoryOk = m.peakRssMb <= MEMORY_TARGET_MB;
    if (!memoryOk) failed++;
    console.log(`${memoryOk ? "ok  " : "ZU VIEL SPEICHER"}  ${fmt(m.cpuSeconds).padStart(6)} s CPU, ${m.peakRssMb} MB  ${city} (${stepText(m)})`);
  }

  console.log("\nLandesebene: 2.000 Gebiete unterste Ebene, 3 Ebenen, 10 Jahre, 1,6 Mio. SEU-Zeilen");
  // the site build of the state (its city folder exists only during benchState)
  let stateSite: SiteBench | undefined;
  const state = benchState({also: (dataDir, city) => {
    stateSite = benchSiteBuild(city, {dataDir});
    for (const suffix of [".duckdb", ".paths.json", ".downloads.json"]) rmSync(join(PROJECT_ROOT, "var", `${city}${suffix}`), {force: true});
  }});
  const ratio = state.pipeline.cpuSeconds / state.floor.cpuSeconds;
  const ratioOk = ratio <= STATE_RATIO_TARGET;
  const memoryOk = state.pipeline.peakRssMb <= MEMORY_TARGET_MB;
  if (!ratioOk) failed++;
  if (!memoryOk) failed++;
  console.log(`      Untergrenze: DuckDB liest dieselbe seu.csv mit read_csv in eine Datenbankdatei und zählt je Gebiet: ${fmt(state.floor.cpuSeconds)} s CPU, ${state.floor.peakRssMb} MB`);
  console.log(`${ratioOk ? "ok  " : "ZU LANGSAM"}  Laden + Indikatoren + Geheimhaltung: ${fmt(state.pipeline.cpuSeconds)} s CPU = ${fmt(ratio)}× Untergrenze (Ziel ≤ ${STATE_RATIO_TARGET}×; ${stepText(state.pipeline)}), ${(state.pipeline.rows ?? 0).toLocaleString("de-DE")} SEU-Zeilen geladen`);
  console.log(`${memoryOk ? "ok  " : "ZU VIEL SPEICHER"}  Spitzen-RSS ${state.pipeline.peakRssMb} MB (Ziel ≤ ${MEMORY_TARGET_MB} MB)`);

  console.log("\nWebsite bauen (npm run build: Datenbank, Seitendaten, Framework; CPU-Sekunden aller Prozesse)");
  const sites: [SiteBench | undefined, number, string][] = [[stateSite, STATE_SITE_TARGET_CPU, "Land, 2.000 Gebiete"], [benchSiteBuild("koeln"), KOELN_SITE_TARGET_CPU, "Köln"]];
  for (const [site, target, label] of sites) {
    const ok = site !== undefined && site.ok && site.cpuSeconds <= target;
    if (!ok) failed++;
    if (!site || !site.ok) console.log(`FEHLGESCHLAGEN  ${label}: ${site?.error ?? "nicht gelaufen"}`);
    else console.log(`${ok ? "ok  " : "ZU LANGSAM"}  ${fmt(site.cpuSeconds).padStart(6)} s CPU (${fmt(site.wallSeconds)} s Laufzeit), größter Prozess ${site.peakRssMb} MB  ${label} (Ziel ≤ ${target} s CPU)`);
  }

  console.log("\nGeheimhaltung allein (Untergrenze: DuckDB prüft die Primärregel auf derselben Tabelle)");
  const protection: ProtectionBench[] = [benchProtectionInChild(500), benchProtectionInChild(2000)];
  for (const p of protection) {
    const ok = p.leaves < 2000 || p.protectCpu <= PROTECTION_TARGET_CPU;
    const pMemoryOk = p.peakRssMb <= MEMORY_TARGET_MB;
    if (!ok) failed++;
    if (!pMemoryOk) failed++;
    console.log(`${ok ? (pMemoryOk ? "ok  " : "ZU VIEL SPEICHER") : "ZU LANGSAM"}  ${fmt(p.protectCpu, 2).padStart(7)} s CPU, Spitzen-RSS ${p.peakRssMb} MB  (${(p.protectCpu / Math.max(p.floorCpu, 1e-3)).toFixed(0)}× Untergrenze ${fmt(p.floorCpu, 3)} s)  ${p.leaves.toLocaleString("de-DE")} Gebiete unterste Ebene, ${p.cells.toLocaleString("de-DE")} Zellen, ${p.withheld.toLocaleString("de-DE")} geheim${p.leaves >= 2000 ? ` (Ziel ≤ ${PROTECTION_TARGET_CPU} s)` : ""}`);
  }
  // near-linear: four times the areas may cost at most six times the CPU
  const growth = protection[1]!.protectCpu / protection[0]!.protectCpu;
  const growthOk = growth <= 6;
  if (!growthOk) failed++;
  console.log(`${growthOk ? "ok  " : "NICHT LINEAR"}  Aufwand 2.000 / 500 Gebiete: ${fmt(growth)}× (Ziel ≤ 6× bei 4× so vielen Gebieten)`);
  console.log(failed ? `\n${failed} Ziel(e) verfehlt` : "\nAlle Ziele erreicht");
  process.exitCode = failed ? 1 : 0;
}
