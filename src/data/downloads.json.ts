// The downloadable tables with their column descriptions, without the rows (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/downloads.json");
