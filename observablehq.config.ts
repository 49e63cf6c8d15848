// Observable Framework configuration for Chancenatlas.
// Offline-safe: no Google Fonts (globalStylesheets empty, system fonts in style.css),
// no DuckDB-WASM extensions, all client libraries imported explicitly from node_modules.
import {existsSync, readFileSync} from "node:fs";
import {SITE_FOOTER} from "./scripts/site-footer.ts";
import {buildPaths} from "./scripts/profile-pages.ts";

const city = (process.env.CHANCENATLAS_CITY ?? "bochum").trim().toLowerCase();
// `observable preview` (npm run dev) or `observable build`
const preview = process.argv.includes("preview");
const pathsFile = `var/${city}.paths.json`;

export default {
  title: "Chancenatlas",
  root: "src",
  output: process.env.CHANCENATLAS_OUTPUT ?? "dist",
  lang: "de",
  style: "style.css",
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  pages: [
    {name: "Übersicht", path: "/"},
    {name: "Bezirksvergleich", path: "/vergleich"},
    {name: "Gebietsprofile", path: "/gebiete"},
    {name: "Kita-Planung", path: "/kita"},
    {
      name: "Ungleiches ungleich behandeln",
      open: true,
      pages: [
        {name: "Förderung und Bedarf", path: "/foerderung"},
        {name: "Verteilungsrechner", path: "/verteilung"},
        {name: "Präventionskette", path: "/praeventionskette"}
      ]
    },
    {
      name: "Bericht und Daten",
      open: true,
      pages: [
        {name: "Indikatorenbericht", path: "/bericht"},
        {name: "Downloads", path: "/downloads"},
        {name: "Datenqualität", path: "/datenqualitaet"},
        {name: "Methoden", path: "/methoden"},
        {name: "Quellen und Lizenzen", path: "/quellen"}
      ]
    }
  ],
  // one profile page per area and one report per year, listed by scripts/prepare-site.ts; the build
  // renders two profile pages and postbuild writes the others from them (scripts/profile-pages.ts)
  dynamicPaths: ((paths: string[]) => (preview ? paths : buildPaths(paths)))(existsSync(pathsFile) ? (JSON.parse(readFileSync(pathsFile, "utf8")) as string[]) : []),
  // the same accessibility repairs as scripts/postbuild.ts, for the preview server only: the build
  // gets them from postbuild.ts (a head would cost Framework three HTML parses on every page)
  head: preview
    ? `<script type="module">document.documentElement.lang = "de"; const l = document.getElementById("observablehq-sidebar-close"); if (l && l.parentElement?.tagName === "OL") l.parentElement.before(l);</script>`
    : null,
  // the preview shows the footer line; the build gets it from scripts/postbuild.ts (see scripts/site-footer.ts)
  footer: preview ? SITE_FOOTER : null,
  search: false,
  linkify: true,
  typographer: false
};
