// Framework ships no type declarations for its internal modules.
declare module "@observablehq/framework/dist/duckdb.js" {
  export const DUCKDB_WASM_VERSION: string;
}
