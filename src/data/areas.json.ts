import {emitJson} from "../../loaders/export/emit.ts";
import {exportAreas} from "../../loaders/export/site.ts";

await emitJson(exportAreas);
