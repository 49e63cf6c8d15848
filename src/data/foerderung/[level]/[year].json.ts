// Funding against need for one level and year (parameterized: --level, --year; export step).
import {handOver} from "../../../../loaders/export/handover.ts";

handOver("data/foerderung/[level]/[year].json");
