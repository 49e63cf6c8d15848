/** The publish gate (loaders/publish/gate.ts): what passes, what stops the build, and the message. */
import {describe, expect, it} from "vitest";
import {assertPublishable, PublishError, type GateState} from "../../loaders/publish/gate.ts";

const gate: GateState = {
  annual: new Set(["seu_u9|WB24|2023", "sgb2_u6|WB26|2023"]),
  pooled: new Set(["seu_u9|WB24|2023"]),
  city: new Set(["reach_births|2019"]),
  population: new Set(["602|2018"])
};

function stop(file: string, value: unknown, options: {indicator?: string} = {}): PublishError {
  try {
    assertPublishable(file, value, gate, options);
  } catch (error) {
    if (error instanceof PublishError) return error;
    throw error;
  }
  throw new Error("expected the gate to stop the build");
}

describe("assertPublishable", () => {
  it("passes published cells, empty withheld cells and public numbers", () => {
    expect(() =>
      assertPublishable("indicators.arrow", [
        {indicator_id: "seu_u9", area_id: "WB23", year: 2023, numerator: 30, denominator: 32, rate: 30 / 32, pooled_rate: 0.9},
        {indicator_id: "seu_u9", area_id: "WB24", year: 2023, numerator: null, denominator: null, rate: null, pooled_rate: null}
      ], gate)
    ).not.toThrow();
    expect(() => assertPublishable("funding.json", {measures: [{measure_id: 3, year: 2018, amount_eur: 12000}]}, gate)).not.toThrow();
  });

  it("stops a number of a withheld cell and names file, field and row", () => {
    const error = stop("indicators.arrow", [{indicator_id: "seu_u9", area_id: "WB24", year: 2023, numerator: null, denominator: 32}]);
    expect(error.message).toBe("Veröffentlichung gestoppt: indicators.arrow, Feld „denominator“ (indicators.arrow[0].denominator): Zelle ist geheim (Indikator seu_u9, Gebiet WB24, Jahr 2023)");
  });

  it("checks the numbers inside lists as the list's field: coordinates and years pass, a withheld count in a list stops", () => {
    expect(() => assertPublishable("karte.json", {areas: [{area_id: "1", geometry: {type: "Polygon", coordinates: [[[7.1, 51.4], [7.2, 51.4], [7.1, 51.4]]]}}], years: [2023, 2024]}, gate)).not.toThrow();
    expect(stop("x.json", [{indicator_id: "seu_u9", area_id: "WB24", year: 2023, numerator: [3]}]).message).toBe(
      "Veröffentlichung gestoppt: x.json, Feld „numerator“ (x.json[0].numerator[0]): Zelle ist geheim (Indikator seu_u9, Gebiet WB24, Jahr 2023)"
    );
    expect(stop("x.json", {values: [12, 13]}).message).toContain("Feld „values“ (x.json.values[0]): Zahl ohne Freigabe");
    expect(stop("x.json", [[5]]).message).toContain("Zahl ohne Feldnamen");
  });

  it("stops a withheld pooled value, a withheld city value and a number bound to another indicator", () => {
    expect(stop("x.json", [{indicator_id: "seu_u9", area_id: "WB24", year: 2023, pooled_rate: 0.8}]).field).toBe("pooled_rate");
    expect(stop("x.json", [{indicator_id: "reach_births", area_id: "1", year: 2019, city_rate: 0.7}]).field).toBe("city_rate");
    // the allocation simulator's children under 6 in SGB II (the leak of issue 11)
    const error = stop("funding.json", {levels: {wahlbezirk: {allocation: {year: 2023, areas: [{area_id: "WB26", sgb2_u6: 7}]}}}});
    expect(error.message).toContain("beruht auf der geheimen Zelle sgb2_u6 (Gebiet WB26, Jahr 2023)");
  });

  it("stops population-derived numbers of an area whose child population is withheld, with the year taken from above", () => {
    const error = stop("funding.json", {chain: [{year: 2018, areas: [{area_id: "602", cells: [{amount_eur: 120.5}]}]}]});
    expect(error.field).toBe("amount_eur");
    expect(error.message).toContain("geheimen Kinderzahl (Gebiet 602, Jahr 2018)");
    // the same field without an area is the money of a measure: public
    expect(() => assertPublishable("funding.json", {chain: [{year: 2018, amount_eur: 1000}]}, gate)).not.toThrow();
  });

  it("downloads: the table names the indicator; German column names are checked like the page data", () => {
    expect(stop("downloads/indikator_seu_u9", [{jahr: 2023, gebiet_id: "WB24", zaehler: 3}], {indicator: "seu_u9"}).field).toBe("zaehler");
    expect(() => assertPublishable("downloads/indikator_seu_u9", [{jahr: 2023, gebiet_id: "WB23", zaehler: 3, wert_3j: 0.1}], gate, {indicator: "seu_u9"})).not.toThrow();
  });

  it("stops a number nobody declared, and a bound number without the row context to check it", () => {
    expect(stop("neu.json", [{area_id: "1", year: 2020, geheimnis: 4}]).message).toContain("Zahl ohne Freigabe");
    expect(stop("neu.json", [{indicator_id: "seu_u9", numerator: 4}]).message).toContain("Gebiet oder Jahr fehlt im Datensatz");
  });
});
