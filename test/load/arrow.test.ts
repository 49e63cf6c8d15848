import {tableFromIPC} from "apache-arrow";
import {describe, expect, it} from "vitest";
import {rowsToArrowIPC} from "../../loaders/export/arrow.ts";

describe("rowsToArrowIPC", () => {
  it("round-trips numbers, nulls, text with leading zeros and booleans", () => {
    const bytes = rowsToArrowIPC(
      [
        {area_id: "011", rate: 0.125, n: null, synthetic: true},
        {area_id: "2", rate: null, n: 7, synthetic: false}
      ],
      ["area_id", "rate", "n", "synthetic"]
    );
    const rows = tableFromIPC(bytes).toArray().map((r) => r.toJSON());
    expect(rows).toEqual([
      {area_id: "011", rate: 0.125, n: null, synthetic: true},
      {area_id: "2", rate: null, n: 7, synthetic: false}
    ]);
  });
});
