// Temporary chain check (replaced by the real overview export).
import {openDatabase, queryRows} from "../../loaders/db.ts";
import {rowsToArrowIPC} from "../../loaders/export/arrow.ts";
const {conn} = await openDatabase();
const rows = await queryRows(conn, "select * from (values ('Mitte', 3), ('Süd', 2)) t(name, n)");
process.stdout.write(rowsToArrowIPC(rows, ["name", "n"]));
