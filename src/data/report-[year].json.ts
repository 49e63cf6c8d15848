// The generated findings of the annual report for one year (parameterized: --year=2024).
import {parseArgs} from "node:util";
import {emitJson} from "../../loaders/export/emit.ts";
import {reportFindings} from "../../loaders/report/findings.ts";

const {values} = parseArgs({options: {year: {type: "string"}}});
const year = Number(values.year);
if (!Number.isInteger(year)) throw new Error(`report loader: --year fehlt oder ist keine Jahreszahl (${values.year})`);
await emitJson((conn) => reportFindings(conn, year));
