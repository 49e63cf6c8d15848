// The city's own indicator values, all indicators and years (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/stadt.arrow");
