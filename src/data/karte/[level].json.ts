// The areas of one level with geometry or tile position, and the city outline (parameterized: --level; export step).
import {handOver} from "../../../loaders/export/handover.ts";

handOver("data/karte/[level].json");
