/**
 * Renders documentation Markdown (docs/*.md, data/<city>/SOURCES.md) to HTML
 * for the site, so the methods and sources pages show the same text as the
 * repository. Uses markdown-it (a dependency of Framework).
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import MarkdownIt from "markdown-it";
import {PROJECT_ROOT, cityDir, selectedCity} from "../city.ts";

const md = new MarkdownIt({html: false, linkify: false, typographer: false});

/** Markdown file → HTML; relative links to repository files are shown as plain text. */
export function renderMarkdownFile(path: string): string {
  const html = md.render(readFileSync(path, "utf8"));
  return html.replace(/<a href="(?!https?:|#)[^"]*">([^<]*)<\/a>/g, "<code>$1</code>");
}

export function exportSources(): {city: string; cityHtml: string; generalHtml: string} {
  const city = selectedCity();
  return {
    city,
    cityHtml: renderMarkdownFile(join(cityDir(city), "SOURCES.md")),
    generalHtml: renderMarkdownFile(join(PROJECT_ROOT, "docs", "data-sources.md"))
  };
}

export function exportMethods(): {html: string} {
  return {html: renderMarkdownFile(join(PROJECT_ROOT, "docs", "methods.md"))};
}
