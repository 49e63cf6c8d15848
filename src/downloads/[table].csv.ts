// One published table as CSV for Excel (parameterized: --table=<id>; export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("downloads/[table].csv");
