/** Thin helpers around @duckdb/node-api shared by the pipeline, the CLI and the Framework loaders. */
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";

export type Row = Record<string, unknown>;

/** Opens (or creates) a DuckDB database; ":memory:" for an in-memory one. */
export async function openDatabase(path = ":memory:"): Promise<{instance: DuckDBInstance; conn: DuckDBConnection}> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  return {instance, conn};
}

/** Converts DuckDB's JS values to plain JSON-friendly values (BIGINT → number, DATE → ISO string). */
export function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}

/** Runs a query and returns its rows as plain objects. */
export async function queryRows<T extends Row = Row>(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJS().map((row) => {
    const plain: Row = {};
    for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value);
    return plain as T;
  });
}
