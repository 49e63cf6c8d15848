// Indicator values of a large level, one indicator: one year (--slice=2024) or the series of all years (--slice=verlauf); export step.
import {handOver} from "../../../../../loaders/export/handover.ts";

handOver("data/werte/[level]/[indicator]/[slice].arrow");
