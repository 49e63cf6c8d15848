// The rows behind the charts of one annual report page (parameterized: --year; export step).
import {handOver} from "../../../loaders/export/handover.ts";

handOver("data/bericht/[year].json");
