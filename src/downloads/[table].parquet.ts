// One published table as Parquet (parameterized: --table=<id>; export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("downloads/[table].parquet");
