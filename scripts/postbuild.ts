/**
 * Runs after `observable build` (npm postbuild): small accessibility repairs of
 * Framework's page template in every built HTML file.
 * - <html lang="de">: Framework 1.13 writes no language, screen readers need it (WCAG 3.1.1);
 * - the sidebar's close <label> sits directly inside an <ol>, where only <li> is allowed
 *   (WCAG 1.3.1); it is moved in front of the list.
 * - the footer line of every page (scripts/site-footer.ts).
 * Before the repairs it writes the area profiles that the build leaves to it (scripts/profile-pages.ts).
 * The same repairs run in the browser for the preview server (see observablehq.config.ts `head`
 * and `footer`, which the build leaves out: each costs Framework three HTML parses on every page).
 */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {addFooter} from "./site-footer.ts";
import {profilePlan, writeProfilePages} from "./profile-pages.ts";
import {dynamicPathsFile, selectedCity} from "../loaders/city.ts";
import {siteDir} from "../loaders/export/handover.ts";

export function repairHtml(html: string): string {
  return html
    .replace(/<html>/, '<html lang="de">')
    .replace(/<ol>(\s*)(<label id="observablehq-sidebar-close"[^>]*><\/label>)/, "$2\n  <ol>$1");
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : name.endsWith(".html") ? [path] : [];
  });
}

if (process.argv[1]?.endsWith("postbuild.ts")) {
  // the output folder of the build (observablehq.config.ts: CHANCENATLAS_OUTPUT, default dist/)
  const root = join(import.meta.dirname, "..");
  const dist = resolve(root, process.env.CHANCENATLAS_OUTPUT ?? "dist");
  // the profile pages Framework did not render (observablehq.config.ts: buildPaths)
  const city = selectedCity();
  const paths = existsSync(dynamicPathsFile(city)) ? (JSON.parse(readFileSync(dynamicPathsFile(city), "utf8")) as string[]) : [];
  const written = writeProfilePages(dist, profilePlan(paths), join(root, "src", ".observablehq", "cache"), siteDir(city));
  if (written) console.log(`postbuild: ${written} Gebietsprofile aus der Vorlage geschrieben`);
  for (const file of htmlFiles(dist)) writeFileSync(file, addFooter(repairHtml(readFileSync(file, "utf8"))));
}
