/**
 * npm run report:pdf -- <year> [--out <file>]
 *
 * Writes the annual indicator report of the selected city (CHANCENATLAS_CITY)
 * as an A4 PDF, printed by Debian's chromium from the built static site
 * (dist/, built first when missing). Page breaks, page numbers ("Seite x von y")
 * and the hiding of navigation come from src/print.css.
 */
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {spawnSync} from "node:child_process";
import {dirname, join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {PROJECT_ROOT, selectedCity} from "../loaders/city.ts";
import {launchChromium} from "./browser/chromium.ts";
import {serveStatic} from "./browser/static-server.ts";

export async function printReport(year: number, out: string, distDir = join(PROJECT_ROOT, "dist")): Promise<void> {
  const page = join(distDir, "bericht", `${year}.html`);
  if (!existsSync(page)) throw new Error(`${page} fehlt – für ${year} gibt es keinen Bericht (oder die Seite ist nicht gebaut: npm run build)`);
  const {server, origin} = await serveStatic(distDir);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({viewport: {width: 1000, height: 1400}, locale: "de-DE"});
    const tab = await context.newPage();
    await tab.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    await tab.goto(`${origin}/bericht/${year}`, {waitUntil: "networkidle"});
    await tab.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0);
    await tab.waitForTimeout(300);
    await tab.emulateMedia({media: "print"});
    const pdf = await tab.pdf({format: "A4", printBackground: true, preferCSSPageSize: true, outline: true, tagged: true});
    mkdirSync(dirname(out), {recursive: true});
    writeFileSync(out, pdf);
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

async function main(): Promise<void> {
  const {positionals, values} = parseArgs({allowPositionals: true, options: {out: {type: "string"}}});
  const year = Number(positionals[0]);
  if (!Number.isInteger(year)) {
    console.error("Aufruf: npm run report:pdf -- <Jahr> [--out <datei.pdf>]");
    process.exit(2);
  }
  const city = selectedCity();
  if (!existsSync(join(PROJECT_ROOT, "dist", "bericht", `${year}.html`))) {
    const build = spawnSync("npm", ["run", "build"], {cwd: PROJECT_ROOT, stdio: "inherit", env: {...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true"}});
    if (build.status !== 0) process.exit(1);
  }
  const out = resolve(values.out ?? join(PROJECT_ROOT, "reports", `chancenatlas-${city}-bericht-${year}.pdf`));
  await printReport(year, out);
  console.log(`Bericht geschrieben: ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
