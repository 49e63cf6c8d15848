import {exportMethods} from "../../loaders/export/docs.ts";

process.stdout.write(JSON.stringify(exportMethods()));
