import {emitJson} from "../../loaders/export/emit.ts";
import {exportKitas} from "../../loaders/export/site.ts";

await emitJson(exportKitas);
