// The list of downloadable tables with their column descriptions (without the rows).
import {emitJson} from "../../loaders/export/emit.ts";
import {downloadTables} from "../../loaders/export/downloads.ts";

await emitJson(async (conn) => (await downloadTables(conn)).map(({rows, ...table}) => ({...table, rows: rows.length})));
