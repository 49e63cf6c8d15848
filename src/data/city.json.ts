import {emitJson} from "../../loaders/export/emit.ts";
import {exportCity} from "../../loaders/export/site.ts";

await emitJson(exportCity);
