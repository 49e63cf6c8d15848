import {openDatabase, queryRows} from "./loaders/db.ts";
const {conn} = await openDatabase(`/tmp/pt/${process.argv[2]}.duckdb`);
console.table(await queryRows(conn, process.argv[3]!));
