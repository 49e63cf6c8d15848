// The list of downloadable tables with their column descriptions (without the rows).
import {siteDownloadTables} from "../../loaders/export/emit.ts";

const tables = await siteDownloadTables();
process.stdout.write(JSON.stringify(tables.map(({rows, ...table}) => ({...table, rows: rows.length}))));
