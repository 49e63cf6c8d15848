// Inputs of the allocation calculator for one level (parameterized: --level; export step).
import {handOver} from "../../../loaders/export/handover.ts";

handOver("data/verteilung/[level].json");
