// Everything the profile page of one area shows (parameterized: --area; export step).
import {handOver} from "../../../loaders/export/handover.ts";

handOver("data/gebiet/[area].json");
