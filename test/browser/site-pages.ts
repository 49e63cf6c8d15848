/** Enumerates the built pages in dist/ and visits them in chromium. */
import {readdirSync} from "node:fs";
import {join, relative} from "node:path";
import type {Browser, Page} from "playwright-core";

/** Every HTML page of the built site as a clean URL path ("/", "/kita", "/bezirk/1"). */
export function listPages(distDir: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("_")) walk(path);
      } else if (entry.name.endsWith(".html") && entry.name !== "404.html") {
        const rel = relative(distDir, path).replace(/\.html$/, "");
        pages.push(rel === "index" ? "/" : `/${rel.replace(/(^|\/)index$/, "")}`);
      }
    }
  };
  walk(distDir);
  return pages.sort();
}

export interface PageVisit {
  consoleErrors: string[];
  foreignRequests: string[];
  svgCount: number;
  renderErrors: string[];
  page: Page;
}

/** Opens a page, blocks and records every request that leaves 127.0.0.1, waits until Framework has rendered. */
export async function visit(browser: Browser, url: string, viewport = {width: 1280, height: 900}): Promise<PageVisit> {
  const context = await browser.newContext({viewport, locale: "de-DE"});
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  await page.route("**/*", (route) => {
    const requestUrl = new URL(route.request().url());
    if (requestUrl.hostname === "127.0.0.1" || requestUrl.protocol === "data:" || requestUrl.protocol === "blob:") return route.continue();
    foreignRequests.push(requestUrl.href);
    return route.abort();
  });
  await page.goto(url, {waitUntil: "networkidle"});
  // Framework renders cells asynchronously: wait until no cell is still pending.
  await page.waitForFunction(() => document.querySelectorAll(".observablehq--loading").length === 0, undefined, {timeout: 30_000});
  await page.waitForTimeout(300);
  const svgCount = await page.locator("#observablehq-main svg").count();
  const renderErrors = await page.locator(".observablehq--error").allInnerTexts();
  return {consoleErrors, foreignRequests, svgCount, renderErrors, page};
}
