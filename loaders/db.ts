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

/**
 * With CHANCENATLAS_PROFILE=1 in the environment, a connection that prints the wall time of
 * every statement to stderr (for finding the slow step of a load); otherwise conn itself.
 */
export function profiled(conn: DuckDBConnection, label: string): DuckDBConnection {
  if (process.env["CHANCENATLAS_PROFILE"] !== "1") return conn;
  const timed = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const start = performance.now();
    try {
      return await fn(...args);
    } finally {
      process.stderr.write(`${label} ${((performance.now() - start) / 1000).toFixed(2)} s  ${String(args[0]).replace(/\s+/g, " ").slice(0, Number(process.env["CHANCENATLAS_PROFILE_WIDTH"] ?? 110))}\n`);
    }
  };
  return new Proxy(conn, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      return prop === "run" || prop === "runAndReadAll" ? timed(bound as (...args: unknown[]) => Promise<unknown>) : bound;
    }
  });
}
