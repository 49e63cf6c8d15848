/**
 * npm run generate [-- --seed N] [--out DIR] [--real-dir DIR] [--refresh-static] [--city bochum|bottrop|koeln]
 *
 * Writes the embedded default data of Bochum, Bottrop and Köln into data/.
 * Synthetic files are rewritten; files derived only from real sources
 * (areas, outline, city.json, Bochum's declared totals) are written only when
 * missing, or again with --refresh-static.
 */
import {existsSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {CITY_IDS, type CityId} from "../tools/generate/cities.ts";
import {DEFAULT_SEED, generate} from "../tools/generate/generate.ts";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

function usage(message?: string): never {
  if (message) console.error(`Fehler: ${message}`);
  console.error(
    "Aufruf: npm run generate -- [--seed N] [--out VERZEICHNIS] [--real-dir VERZEICHNIS] [--refresh-static] [--city bochum|bottrop|koeln]"
  );
  process.exit(message ? 2 : 0);
}

const args = process.argv.slice(2);
let seed: number | string = DEFAULT_SEED;
let outDir = join(projectRoot, "data");
let realDir = process.env["CHANCENATLAS_REAL_DATA"] ?? resolve(projectRoot, "..", "shared", "data", "real");
let refreshStatic = false;
const cities: CityId[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = (): string => {
    const v = args[++i];
    if (v === undefined) usage(`${arg} braucht einen Wert`);
    return v;
  };
  switch (arg) {
    case "--seed": {
      const v = value();
      seed = /^\d+$/.test(v) ? Number(v) : v;
      break;
    }
    case "--out":
      outDir = resolve(value());
      break;
    case "--real-dir":
      realDir = resolve(value());
      break;
    case "--refresh-static":
      refreshStatic = true;
      break;
    case "--city": {
      const v = value();
      if (!(CITY_IDS as readonly string[]).includes(v)) usage(`unbekannte Stadt ${v}`);
      cities.push(v as CityId);
      break;
    }
    case "--help":
    case "-h":
      usage();
      break;
    default:
      usage(`unbekannte Option ${arg ?? ""}`);
  }
}

if (!existsSync(realDir)) {
  usage(`Verzeichnis mit den realen Quelldaten nicht gefunden: ${realDir} (--real-dir oder CHANCENATLAS_REAL_DATA setzen)`);
}

const started = Date.now();
const result = generate({
  seed,
  outDir,
  realDir,
  refreshStatic,
  cities: cities.length > 0 ? cities : CITY_IDS,
  log: (m) => console.log(m)
});
console.log(
  `Fertig (Seed ${seed}): ${result.written.length} Dateien geschrieben, ${result.unchanged.length} unverändert, ` +
    `${result.keptStatic.length} statische Dateien behalten, ${((Date.now() - started) / 1000).toFixed(1)} s.`
);
