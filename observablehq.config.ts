// Observable Framework configuration for Chancenatlas.
// Offline-safe: no Google Fonts (globalStylesheets), no DuckDB-WASM extensions,
// all client libraries imported explicitly from node_modules.
export default {
  title: "Chancenatlas",
  root: "src",
  output: "dist",
  lang: "de",
  style: "style.css",
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  pages: [{name: "Übersicht", path: "/"}],
  footer: "Chancenatlas – Monitoring der Präventionskette",
  search: false,
  linkify: true,
  typographer: false,
  cleanUrls: true
};
