// Sources and licences as HTML (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/sources.json");
