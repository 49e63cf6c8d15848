// The prevention chain of one level and year: the city's matrix, the areas, the gaps (parameterized: --level, --year; export step).
import {handOver} from "../../../../loaders/export/handover.ts";

handOver("data/kette/[level]/[year].json");
