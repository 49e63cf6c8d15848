// docs/methods.md as HTML (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/methods.json");
