import {mkdirSync, readFileSync, readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, inject, it} from "vitest";
import {createRequire} from "node:module";
import {launchChromium} from "../../scripts/browser/chromium.ts";
import {listPages, visit} from "./site-pages.ts";

const origin = inject("origin");
const distDir = inject("distDir");
const screenshotDir = join(import.meta.dirname, "..", "..", "screenshots");

/** Pages that are text only (no chart is expected on them). */
const TEXT_PAGES = new Set<string>(["/quellen", "/methoden", "/datenqualitaet", "/downloads", "/gebiete", "/bericht"]);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: {target: string[]}[];
}

const FORBIDDEN_HOSTS = ["fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "esm.sh", "registry.npmjs.org"];

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

describe("the built site", () => {
  it.skipIf(!inject("offlineBuild"))("was built inside a network namespace without any network (unshare -n)", () => {
    // global-setup ran `unshare -n npm run build`; reaching this test means it succeeded
    expect(inject("offlineBuild")).toBe(true);
    expect(statSync(join(distDir, "index.html")).isFile()).toBe(true);
  });

  it("references no CDN or third-party font host in any file", () => {
    const offenders: string[] = [];
    for (const file of filesBelow(distDir)) {
      const text = readFileSync(file, "latin1");
      for (const host of FORBIDDEN_HOSTS) if (text.includes(host)) offenders.push(`${file}: ${host}`);
    }
    expect(offenders).toEqual([]);
  });

  it("has the expected pages", () => {
    expect(listPages(distDir)).toContain("/");
  });
});

describe("every page in chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(screenshotDir, {recursive: true});
  });
  afterAll(async () => browser?.close());

  const pages = listPages(distDir);
  for (const path of pages) {
    it(`${path} renders with charts, no console error and no request leaving 127.0.0.1`, async () => {
      for (const [label, viewport] of [["desktop", {width: 1280, height: 900}], ["phone", {width: 390, height: 844}]] as const) {
        const result = await visit(browser, origin + path, viewport);
        const name = path === "/" ? "index" : path.slice(1).replaceAll("/", "_");
        if (label === "desktop") {
          // accessibility (WCAG 2.1 A/AA rules of axe-core): no serious or critical violation
          await result.page.addScriptTag({content: AXE_SOURCE});
          const violations = (await result.page.evaluate(async () => {
            const axe = (window as unknown as {axe: {run: (context: unknown, options: unknown) => Promise<{violations: unknown[]}>}}).axe;
            const run = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
            return run.violations;
          })) as AxeViolation[];
          const severe = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")})`);
          expect(severe, `axe violations on ${path}`).toEqual([]);
          // synthetic figures are labelled: every chart figure of the default city (Bochum, whose
          // indicators rest on synthetic data) carries the "Beispieldaten" badge
          if (!TEXT_PAGES.has(path) && path !== "/quellen") {
            const unlabelled = await result.page.evaluate(() =>
              [...document.querySelectorAll("#observablehq-main figure")].filter((f) => !f.textContent?.includes("Beispieldaten")).map((f) => f.querySelector("h2, h3, h4")?.textContent ?? "(ohne Titel)")
            );
            expect(unlabelled, `figures without the Beispieldaten label on ${path}`).toEqual([]);
          }
        }
        await result.page.screenshot({path: join(screenshotDir, `${name}-${label}.png`), fullPage: true});
        await result.page.screenshot({path: join(screenshotDir, `${name}-${label}-top.png`)});
        await result.page.context().close();
        expect(result.consoleErrors, `console errors on ${path}`).toEqual([]);
        expect(result.foreignRequests, `requests leaving 127.0.0.1 on ${path}`).toEqual([]);
        expect(result.renderErrors, `render errors on ${path}`).toEqual([]);
        if (!TEXT_PAGES.has(path)) expect(result.svgCount, `charts on ${path}`).toBeGreaterThan(0);
      }
    });
  }
});
