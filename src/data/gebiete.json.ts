// Every area below the city with its need class in the latest year (export step).
import {handOver} from "../../loaders/export/handover.ts";

handOver("data/gebiete.json");
