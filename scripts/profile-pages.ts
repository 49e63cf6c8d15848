/**
 * The area profiles of a large city without one Framework page build per area.
 *
 * Framework 1.13 builds every parameterized page on its own (markdown, JavaScript and three HTML
 * parses, file look-ups by globbing): at 2.000 areas the profile pages `/gebiet/<area>` cost
 * about 60 % of the whole site build. Their HTML differs only in the area's page file
 * (`../data/gebiet/<area>.json`: the FileAttachment and its registerFile line with content hash,
 * modification time and size). So the build (observablehq.config.ts) lets Framework render two
 * of them, the templates, and postbuild.ts writes the others from the first template: it copies
 * each area's file under Framework's content-hashed name (`_file/data/gebiet/<area>.<hash>.json`)
 * and replaces the area file in the template. Before that it checks that the first template with
 * the second area's file is byte for byte the second template, so a profile page that ever shows
 * more of its parameter than the file stops the build instead of giving wrong pages.
 * The preview (npm run dev) renders every profile page itself, and ids that are not plain
 * (characters that URLs encode) are always left to Framework.
 */
import {createHash} from "node:crypto";
import {copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";

const PREFIX = "/gebiet/";
const PLAIN_ID = /^[A-Za-z0-9_-]+$/;

export interface ProfilePlan {
  /** profile paths Framework builds (the two templates and every id that is not plain) */
  templates: string[];
  /** profile area ids written by postbuild from the first template */
  cloned: string[];
}

/** Splits the parameterized paths: which profile pages Framework renders, which postbuild writes. */
export function profilePlan(paths: readonly string[]): ProfilePlan {
  const plain = paths.filter((p) => p.startsWith(PREFIX) && PLAIN_ID.test(p.slice(PREFIX.length)));
  if (plain.length < 3) return {templates: [...plain], cloned: []};
  const first = plain[0]!;
  const last = plain.at(-1)!;
  return {templates: [first, last], cloned: plain.slice(1, -1).map((p) => p.slice(PREFIX.length))};
}

/** The parameterized paths Framework builds: all but the profiles postbuild writes. */
export function buildPaths(paths: readonly string[]): string[] {
  const cloned = new Set(profilePlan(paths).cloned.map((id) => PREFIX + id));
  return paths.filter((p) => !cloned.has(p));
}

/** What Framework writes into a page for one of its files (render.js registerFile). */
export interface FileInfo {
  hash: string;
  lastModified: number;
  size: number;
}

const fileName = (id: string): string => `../data/gebiet/${id}.json`;

/**
 * The profile page of `id` from the page of `templateId`: the area's file in the FileAttachment
 * and in its registerFile line. Throws when the template does not hold its file exactly so.
 */
export function profileHtml(template: string, templateId: string, id: string, info: FileInfo): string {
  const name = JSON.stringify(fileName(templateId));
  const register = `\nregisterFile(${name}, `;
  const start = template.indexOf(register);
  const end = start < 0 ? -1 : template.indexOf(");", start);
  if (start < 0 || end < 0 || template.indexOf(register, end) >= 0) throw new Error(`Gebietsprofil ${templateId}: registerFile(${name}, …) nicht genau einmal gefunden`);
  const old = JSON.parse(template.slice(start + register.length, end)) as Record<string, unknown>;
  const registered = {
    ...old,
    name: fileName(id),
    path: `../_file/data/gebiet/${id}.${info.hash}.json`,
    lastModified: info.lastModified,
    size: info.size
  };
  const line = `\nregisterFile(${JSON.stringify(fileName(id))}, ${JSON.stringify(registered)}`;
  const rest = `${template.slice(0, start)}${line}${template.slice(end)}`;
  const attachment = `FileAttachment(${name})`;
  if (!rest.includes(attachment)) throw new Error(`Gebietsprofil ${templateId}: ${attachment} fehlt`);
  return rest.split(attachment).join(`FileAttachment(${JSON.stringify(fileName(id))})`);
}

/** Framework's view of a loader output in its cache: content hash (8 hex digits), mtime, size. */
export function fileInfo(path: string): FileInfo {
  const contents = readFileSync(path);
  return {hash: createHash("sha256").update(contents).digest("hex").slice(0, 8), lastModified: Math.floor(statSync(path).mtimeMs), size: contents.length};
}

/**
 * Writes the profile pages of `plan.cloned` into `dist` from the first template, with each area's
 * file copied from Framework's loader cache (`cacheRoot`, filled by prepare-site.ts; a missing
 * file is taken from the export folder `siteDir`). Returns the number of pages written.
 */
export function writeProfilePages(dist: string, plan: ProfilePlan, cacheRoot: string, siteDir: string): number {
  if (!plan.cloned.length) return 0;
  const [a, b] = plan.templates.map((p) => p.slice(PREFIX.length)) as [string, string];
  const page = (id: string): string => join(dist, "gebiet", `${id}.html`);
  const source = (id: string): string => {
    const cached = join(cacheRoot, "data", "gebiet", `${id}.json`);
    if (!existsSync(cached)) {
      mkdirSync(dirname(cached), {recursive: true});
      copyFileSync(join(siteDir, "data", "gebiet", `${id}.json`), cached);
    }
    return cached;
  };
  const template = readFileSync(page(a), "utf8");
  if (profileHtml(template, a, b, fileInfo(source(b))) !== readFileSync(page(b), "utf8")) {
    throw new Error(`Gebietsprofile: die Seite ${b} ist nicht die Seite ${a} mit der Datei von ${b}; scripts/profile-pages.ts kann die Profilseiten nicht aus einer Vorlage schreiben`);
  }
  for (const id of plan.cloned) {
    const file = source(id);
    const info = fileInfo(file);
    const target = join(dist, "_file", "data", "gebiet", `${id}.${info.hash}.json`);
    mkdirSync(dirname(target), {recursive: true});
    copyFileSync(file, target);
    writeFileSync(page(id), profileHtml(template, a, id, info));
  }
  return plan.cloned.length;
}
