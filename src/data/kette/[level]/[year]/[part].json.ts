// The matrices of the next 50 areas of the prevention-chain list of one level and year (parameterized: --level, --year, --part; export step).
import {handOver} from "../../../../../loaders/export/handover.ts";

handOver("data/kette/[level]/[year]/[part].json");
