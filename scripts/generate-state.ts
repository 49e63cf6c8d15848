/**
 * npm run generate:state -- --out DIR [--seed N] [--leaves N] [--seu-rows N] [--years N]
 *
 * Writes a state-scale synthetic city (tools/generate/state.ts) into DIR: by
 * default 2.000 lowest-level areas, 2015–2024 and 1.600.000 school-entry
 * records – the benchmark data of issue 12. Tooling, not product: write it to
 * a scratch folder (e.g. /tmp/musterland), not into data/.
 */
import {resolve} from "node:path";
import {STATE_DEFAULTS, generateStateCity} from "../tools/generate/state.ts";

function usage(message?: string): never {
  if (message) console.error(`Fehler: ${message}`);
  console.error(
    "Aufruf: npm run generate:state -- --out VERZEICHNIS [--seed N] [--leaves N] [--seu-rows N] [--years N]\n" +
      `  --leaves    Gebiete der untersten Ebene (Standard ${STATE_DEFAULTS.leaves.toLocaleString("de-DE")})\n` +
      `  --seu-rows  Zeilen der seu.csv über alle Jahre (Standard ${STATE_DEFAULTS.seuRows.toLocaleString("de-DE")})\n` +
      `  --years     Berichtsjahre bis ${STATE_DEFAULTS.lastYear} (Standard ${STATE_DEFAULTS.years})`
  );
  process.exit(message ? 2 : 0);
}

/** A whole number ≥ min; accepts thousands separators ("1.600.000", "1_600_000"). */
function count(option: string, raw: string, min: number): number {
  const digits = /^\d{1,3}(?:([._])\d{3})(?:\1\d{3})*$/.test(raw) ? raw.replace(/[._]/g, "") : raw;
  if (!/^\d+$/.test(digits)) usage(`${option} braucht eine ganze Zahl, gefunden: ${raw}`);
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value < min) usage(`${option} muss mindestens ${min} sein, gefunden: ${raw}`);
  return value;
}

const args = process.argv.slice(2);
let outDir: string | undefined;
let seed: number | string | undefined;
let leaves: number | undefined;
let seuRows: number | undefined;
let years: number | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = (): string => {
    const v = args[++i];
    if (v === undefined || v.startsWith("--")) usage(`${arg} braucht einen Wert`);
    return v;
  };
  switch (arg) {
    case "--out":
      outDir = resolve(value());
      break;
    case "--seed": {
      const v = value();
      seed = /^\d+$/.test(v) ? Number(v) : v;
      break;
    }
    case "--leaves":
      leaves = count(arg, value(), 1);
      break;
    case "--seu-rows":
      seuRows = count(arg, value(), 1);
      break;
    case "--years":
      years = count(arg, value(), 1);
      break;
    case "--help":
    case "-h":
      usage();
      break;
    default:
      usage(`unbekannte Option ${arg ?? ""}`);
  }
}
if (outDir === undefined) usage("--out fehlt: in welchen Ordner soll das Land geschrieben werden?");

const started = Date.now();
try {
  const result = generateStateCity({
    outDir,
    ...(seed !== undefined ? {seed} : {}),
    ...(leaves !== undefined ? {leaves} : {}),
    ...(seuRows !== undefined ? {seuRows} : {}),
    ...(years !== undefined ? {years} : {}),
    log: (m) => console.log(m)
  });
  const bytes = result.files.reduce((s, f) => s + f.bytes, 0);
  console.log(
    `Fertig: ${result.files.length} Dateien in ${outDir}, ${(bytes / 2 ** 20).toFixed(1)} MiB, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s, Spitzen-RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB.`
  );
} catch (error) {
  console.error(`Fehler: ${(error as Error).message}`);
  process.exit(1);
}
