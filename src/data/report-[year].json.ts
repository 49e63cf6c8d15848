// The generated findings of the annual report for one year (parameterized: --year=2024; export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/report-[year].json");
