// Funding years, measures and declared totals (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/foerderung.json");
