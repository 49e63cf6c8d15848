import {emitJson} from "../../loaders/export/emit.ts";
import {exportFunding} from "../../loaders/export/funding.ts";

await emitJson(exportFunding);
