import {emitJson} from "../../loaders/export/emit.ts";
import {exportNeedIndex} from "../../loaders/export/site.ts";

await emitJson(exportNeedIndex);
