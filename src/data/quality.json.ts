// Load report, warnings and quarantine as published (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/quality.json");
