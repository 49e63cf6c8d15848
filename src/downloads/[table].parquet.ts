// One published table as Parquet (parameterized: --table=<id>).
import {parseArgs} from "node:util";
import {openSiteDatabase} from "../../loaders/pipeline.ts";
import {downloadTables, toParquet} from "../../loaders/export/downloads.ts";

const {values} = parseArgs({options: {table: {type: "string"}}});
const {conn, close} = await openSiteDatabase();
try {
  const table = (await downloadTables(conn)).find((t) => t.id === values.table);
  if (!table) throw new Error(`Download-Tabelle „${values.table}“ gibt es nicht`);
  process.stdout.write(await toParquet(table));
} finally {
  close();
}
