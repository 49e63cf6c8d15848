// The Kitas of one year (parameterized: --year; export step).
import {handOver} from "../../../loaders/export/handover.ts";

handOver("data/kitas/[year].arrow");
