import {emitArrow} from "../../loaders/export/emit.ts";
import {exportIndicatorValues} from "../../loaders/export/site.ts";

await emitArrow(exportIndicatorValues, [
  "year", "area_id", "name", "level", "indicator_id", "numerator", "denominator", "rate", "ci_lo", "ci_hi",
  "city_rate", "diff_city", "signif", "pooled_rate", "pooled_ci_lo", "pooled_ci_hi", "change_1y", "change_ky",
  "suppressed", "pooled_suppressed", "synthetic"
]);
