/**
 * The other embedded cities, selected with CHANCENATLAS_CITY: each builds offline
 * into its own folder and its main pages render in chromium – with real district
 * geometry (choropleth maps) instead of Bochum's schematic tiles.
 */
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {launchChromium} from "../../scripts/browser/chromium.ts";
import {serveStatic} from "../../scripts/browser/static-server.ts";
import {visit} from "./site-pages.ts";

const root = join(import.meta.dirname, "..", "..");
const offline = spawnSync("unshare", ["-n", "true"], {stdio: "ignore"}).status === 0;
const screenshotDir = join(root, "screenshots");

for (const city of ["koeln", "bottrop"]) {
  describe(`CHANCENATLAS_CITY=${city}`, () => {
    const out = join(root, "var", `dist-${city}`);
    let browser: Browser;
    let origin: string;
    let close: () => Promise<void>;

    beforeAll(async () => {
      rmSync(out, {recursive: true, force: true});
      const env = {...process.env, CHANCENATLAS_CITY: city, CHANCENATLAS_OUTPUT: out, OBSERVABLE_TELEMETRY_DISABLE: "true"};
      const [cmd, args] = offline ? ["unshare", ["-n", "npm", "run", "build"]] : ["npm", ["run", "build"]];
      const result = spawnSync(cmd as string, args as string[], {cwd: root, env, encoding: "utf8"});
      if (result.status !== 0) throw new Error(`build of ${city} failed:\n${result.stdout}\n${result.stderr}`);
      const served = await serveStatic(out);
      origin = served.origin;
      close = () => new Promise((done) => served.server.close(() => done()));
      browser = await launchChromium();
      mkdirSync(screenshotDir, {recursive: true});
    }, 600_000);
    afterAll(async () => {
      await browser?.close();
      await close?.();
      rmSync(out, {recursive: true, force: true});
    });

    it("builds every page, including one profile per area", () => {
      expect(existsSync(join(out, "index.html"))).toBe(true);
      expect(existsSync(join(out, "gebiet"))).toBe(true);
    });

    for (const path of ["/", "/vergleich", "/kita", "/foerderung", "/praeventionskette"]) {
      it(`${path} renders a geographic map or chart without errors or foreign requests`, async () => {
        const result = await visit(browser, origin + path);
        await result.page.screenshot({path: join(screenshotDir, `${city}${path === "/" ? "-index" : path.replace("/", "-")}.png`), fullPage: true});
        const geoPaths = await result.page.locator("#observablehq-main svg g[data-mark='geo'] path, #observablehq-main svg .cn-areas path").count();
        await result.page.context().close();
        expect(result.consoleErrors).toEqual([]);
        expect(result.foreignRequests).toEqual([]);
        expect(result.renderErrors).toEqual([]);
        expect(result.svgCount).toBeGreaterThan(0);
        if (path === "/" || path === "/vergleich") expect(geoPaths, "district polygons drawn").toBeGreaterThan(20);
      });
    }
  });
}
