// Indicator values of one level and indicator, all years (--level, --indicator; export step).
import {handOver} from "../../../../loaders/export/handover.ts";

handOver("data/werte/[level]/[indicator].arrow");
