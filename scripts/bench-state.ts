/**
 * State-scale benchmark (part of npm run bench): a synthetic Land with 2.000 statistische
 * Bezirke, 3 levels below it and 10 years, 1,6 million school-entry rows
 * (tools/generate/state.ts), loaded by the pipeline and, in the same run, by the floor:
 * DuckDB itself reading the same seu.csv with read_csv into a file database and computing
 * one grouped count. Each runs in its own child process, so CPU time (all threads) and
 * peak memory (VmHWM) are its own. Targets are ratios to the floor and absolute memory,
 * not wall-clock times, because the machine is shared.
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {DuckDBInstance} from "@duckdb/node-api";
import {buildCity, type StepTiming} from "../loaders/pipeline.ts";
import {generateStateCity} from "../tools/generate/state.ts";

export interface ChildMeasure {
  cpuSeconds: number;
  peakRssMb: number;
  steps?: StepTiming[];
  rows?: number;
}

function peakRssMb(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** The floor: DuckDB reads seu.csv into a file database and counts per area. */
async function floor(dir: string, work: string): Promise<ChildMeasure> {
  const start = process.cpuUsage();
  const instance = await DuckDBInstance.create(join(work, "floor.duckdb"));
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE seu AS SELECT * FROM read_csv('${join(dir, "seu.csv")}')`);
  const groups = (await conn.runAndReadAll("SELECT area_id, count(*) FROM seu GROUP BY area_id")).getRows().length;
  await conn.run("CHECKPOINT");
  conn.closeSync();
  instance.closeSync();
  return {cpuSeconds: cpuSeconds(start), peakRssMb: peakRssMb(), rows: groups};
}

/** The pipeline: read, check, load, indicators, protection, indices. */
async function pipeline(dir: string, work: string): Promise<ChildMeasure> {
  const start = process.cpuUsage();
  const steps: StepTiming[] = [];
  const {report} = await buildCity(dir, join(work, "state.duckdb"), {onStep: (s) => steps.push(s)});
  const seu = report.files.find((f) => f.file === "seu.csv");
  return {cpuSeconds: cpuSeconds(start), peakRssMb: peakRssMb(), steps, rows: seu?.rows_loaded ?? 0};
}

function inChild(mode: "floor" | "pipeline", dir: string, work: string): ChildMeasure {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), mode, dir, work], {encoding: "utf8", maxBuffer: 64 * 2 ** 20});
  return JSON.parse(out.trim().split("\n").at(-1)!) as ChildMeasure;
}

export interface StateBench {
  leaves: number;
  seuRows: number;
  floor: ChildMeasure;
  pipeline: ChildMeasure;
}

/** Generates the state, measures floor and pipeline; `also(dir)` runs on the generated city before it is deleted. */
export function benchState(options: {leaves?: number; seuRows?: number; also?: (dataDir: string, city: string) => void} = {}): StateBench {
  const work = mkdtempSync(join(tmpdir(), "chancenatlas-state-"));
  try {
    const dir = join(work, "land");
    const leaves = options.leaves ?? 2000;
    const seuRows = options.seuRows ?? 1_600_000;
    generateStateCity({outDir: dir, leaves, seuRows});
    const floorResult = inChild("floor", dir, work);
    const pipelineResult = inChild("pipeline", dir, work);
    options.also?.(work, "land");
    return {leaves, seuRows, floor: floorResult, pipeline: pipelineResult};
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, dir, work] = process.argv.slice(2);
  if ((mode === "floor" || mode === "pipeline") && dir && work) {
    console.log(JSON.stringify(mode === "floor" ? await floor(dir, work) : await pipeline(dir, work)));
  } else {
    console.log(JSON.stringify(benchState()));
  }
}
