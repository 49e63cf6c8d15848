import {emitJson} from "../../loaders/export/emit.ts";
import {exportQuality} from "../../loaders/export/site.ts";

await emitJson(exportQuality);
