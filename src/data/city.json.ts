// The city, its levels and the indicator catalogue (computed by the export step, see loaders/export/site-export.ts).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/city.json");
