// The overview page: biggest changes since the previous year, need classes (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/uebersicht.json");
