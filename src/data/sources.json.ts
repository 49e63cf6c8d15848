import {exportSources} from "../../loaders/export/docs.ts";

process.stdout.write(JSON.stringify(exportSources()));
