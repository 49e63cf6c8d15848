/**
 * Benchmarks of the data pipeline (npm run bench): reading and validating,
 * loading into DuckDB and computing all indicators, for the embedded cities and
 * for a large city (Bochum's school-entry data repeated ten times, about
 * 190.000 children). Prints the times and peak memory and fails when a target
 * is missed. Targets are for the 2-core, 24-GiB machines this runs on.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {performance} from "node:perf_hooks";
import {cityDir} from "../loaders/city.ts";
import {buildCity} from "../loaders/pipeline.ts";
import {validateCity} from "../loaders/validate.ts";
import {benchProtectionInChild, type ProtectionBench} from "./bench-protection.ts";

interface Target {
  name: string;
  seconds: number;
}

const results: {name: string; seconds: number; target: number; rssMb: number}[] = [];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

async function measure(target: Target, fn: () => Promise<unknown> | unknown): Promise<void> {
  const start = performance.now();
  await fn();
  const seconds = (performance.now() - start) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  results.push({name: target.name, seconds, target: target.seconds, rssMb: Math.round(peakRss / 2 ** 20)});
}

const protection: ProtectionBench[] = [];
const tmp = mkdtempSync(join(tmpdir(), "chancenatlas-bench-"));
try {
  for (const city of ["bochum", "bottrop", "koeln"]) {
    await measure({name: `${city}: validate`, seconds: 5}, () => validateCity(cityDir(city)));
    await measure({name: `${city}: validate + load + indicators`, seconds: 15}, () => buildCity(cityDir(city), join(tmp, `${city}.duckdb`)));
  }
  // a large city: Bochum's SEU microdata ten times (same areas, so it stays valid)
  const big = join(tmp, "gross");
  cpSync(cityDir("bochum"), big, {recursive: true});
  const seu = readFileSync(join(big, "seu.csv"), "utf8").replace(/^\uFEFF/, "");
  const [header, ...lines] = seu.split(/\r?\n/).filter((l) => l !== "");
  writeFileSync(join(big, "seu.csv"), [header, ...Array.from({length: 10}, () => lines).flat()].join("\n") + "\n");
  const rows = lines.length * 10;
  await measure({name: `große Stadt (${rows.toLocaleString("de-DE")} SEU-Zeilen): validate + load + indicators`, seconds: 30}, () => buildCity(big, join(tmp, "gross.duckdb")));
  // small-number protection at state scale, in CPU seconds (noise-robust), against a floor in the same run
  // (each in its own process, so that its memory is measured on its own)
  protection.push(benchProtectionInChild(500), benchProtectionInChild(2000));
} finally {
  clearInterval(sampler);
  rmSync(tmp, {recursive: true, force: true});
}

const MEMORY_TARGET_MB = 1024;
const PROTECTION_TARGET_CPU = 30;
let failed = 0;
console.log("Benchmark Chancenatlas-Pipeline\n");
for (const r of results) {
  const ok = r.seconds <= r.target;
  if (!ok) failed++;
  console.log(`${ok ? "ok  " : "ZU LANGSAM"}  ${r.seconds.toFixed(2).padStart(7)} s  (Ziel ≤ ${r.target} s)  ${r.name}`);
}
console.log("\nGeheimhaltung (CPU-Sekunden; Untergrenze: DuckDB prüft die Primärregel auf derselben Tabelle)");
for (const p of protection) {
  const ok = p.leaves < 2000 || p.protectCpu <= PROTECTION_TARGET_CPU;
  const memoryOk = p.peakRssMb <= MEMORY_TARGET_MB;
  if (!ok) failed++;
  if (!memoryOk) failed++;
  console.log(`${ok ? (memoryOk ? "ok  " : "ZU VIEL SPEICHER") : "ZU LANGSAM"}  ${p.protectCpu.toFixed(2).padStart(7)} s CPU, Spitzen-RSS ${p.peakRssMb} MB  (${(p.protectCpu / Math.max(p.floorCpu, 1e-3)).toFixed(0)}× Untergrenze ${p.floorCpu.toFixed(3)} s)  ${p.leaves.toLocaleString("de-DE")} Gebiete unterste Ebene, ${p.cells.toLocaleString("de-DE")} Zellen, ${p.withheld.toLocaleString("de-DE")} geheim${p.leaves >= 2000 ? ` (Ziel ≤ ${PROTECTION_TARGET_CPU} s)` : ""}`);
}
if (protection.length === 2) {
  // near-linear: four times the areas may cost at most six times the CPU
  const growth = protection[1]!.protectCpu / protection[0]!.protectCpu;
  const ok = growth <= 6;
  if (!ok) failed++;
  console.log(`${ok ? "ok  " : "NICHT LINEAR"}  Aufwand 2.000 / 500 Gebiete: ${growth.toFixed(1)}× (Ziel ≤ 6× bei 4× so vielen Gebieten)`);
}
const peakMb = Math.round(peakRss / 2 ** 20);
const memoryOk = peakMb <= MEMORY_TARGET_MB;
if (!memoryOk) failed++;
console.log(`\n${memoryOk ? "ok  " : "ZU VIEL SPEICHER"}  Spitzen-RSS ${peakMb} MB (Ziel ≤ ${MEMORY_TARGET_MB} MB)`);
process.exitCode = failed ? 1 : 0;
