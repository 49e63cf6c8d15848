import {describe, expect, it} from "vitest";
import {readUrlState, stateToSearch} from "../../src/lib/urlState.ts";

describe("URL state", () => {
  const defaults = {indicator: "sgb2_u15", year: "2024", level: "stadtbezirk"};
  it("reads known keys, keeps defaults for missing ones and ignores unknown keys", () => {
    expect(readUrlState(defaults, "?indicator=seu_u9&foo=1&year=")).toEqual({indicator: "seu_u9", year: "2024", level: "stadtbezirk"});
  });
  it("writes only values that differ from the defaults, round-tripping area ids with leading zeros", () => {
    const search = stateToSearch({...defaults, year: "2022", area: "011"}, defaults);
    expect(search).toBe("?year=2022&area=011");
    expect(readUrlState({...defaults, area: ""}, search)).toEqual({...defaults, year: "2022", area: "011"});
  });
});
