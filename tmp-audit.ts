import {openDatabase} from "./loaders/db.ts";
import {auditCity} from "./test/protection/site-audit.ts";
const {instance, conn} = await openDatabase(`/tmp/pt/${process.argv[2]}.duckdb`);
const t = performance.now();
const a = await auditCity(conn, 3);
console.log(process.argv[2], "withheld", a.withheldCells, "violations", a.violations.length, "exact", a.exact.length, a.stats, ((performance.now()-t)/1000).toFixed(1)+"s");
console.log(a.violations.slice(0, 15));
console.log(a.exact.slice(0, 10), a.notes.slice(0,5));
