// One published table as CSV for Excel (parameterized: --table=<id>).
import {parseArgs} from "node:util";
import {siteDownloadTables} from "../../loaders/export/emit.ts";
import {toCsv} from "../../loaders/export/downloads.ts";

const {values} = parseArgs({options: {table: {type: "string"}}});
const table = (await siteDownloadTables()).find((t) => t.id === values.table);
if (!table) throw new Error(`Download-Tabelle „${values.table}“ gibt es nicht`);
process.stdout.write(toCsv(table));
