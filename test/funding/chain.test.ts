import {describe, expect, it} from "vitest";
import {DEFAULT_RELEVANCE, HANDLUNGSFELDER, LIFE_PHASES, preventionChain, type ChainMeasure} from "../../loaders/funding/chain.ts";

const AREAS = [
  {area_id: "1", name: "Nord", need_class: 4},
  {area_id: "2", name: "Mitte", need_class: 3},
  {area_id: "3", name: "Süd", need_class: 1}
];
const ALL_PHASES = [...LIFE_PHASES];
const base = {year: 2023, status: "bewilligt"};
const MEASURES: ChainMeasure[] = [
  // cross-cutting (all seven fields): 42 cells, 70 000 / 42 € each; served areas by equal split (23 333,33 € each)
  {...base, measure_id: 1, measure: "Geschäftsstelle", amount_eur: 70_000, handlungsfeld: [...HANDLUNGSFELDER], life_phases: ALL_PHASES, areas: ["stadtweit"]},
  // 2 cells, 6 000 € each; area amounts given
  {...base, measure_id: 2, measure: "Babylotsen", amount_eur: 12_000, handlungsfeld: ["II"], life_phases: ["schwangerschaft", "0-3"], areas: ["1", "2", "3"], area_amounts: {"1": 6_000, "2": 3_000, "3": 3_000}},
  // 2 fields × 3 phases = 6 cells, 1 000 € each; only area 1
  {...base, measure_id: 3, measure: "Stadtteilarbeit", amount_eur: 6_000, handlungsfeld: ["II", "IV"], life_phases: ["0-3", "3-6", "6-10"], areas: ["1"]},
  // 1 cell; only area 3 (low need)
  {...base, measure_id: 4, measure: "Sprachförderung", amount_eur: 3_000, handlungsfeld: ["VI"], life_phases: ["3-6"], areas: ["3"]},
  // another year: filtered out
  {...base, year: 2024, measure_id: 5, measure: "Neu 2024", amount_eur: 1_000, handlungsfeld: ["V"], life_phases: ["10-16"], areas: ["1"]}
];

describe("prevention chain matrix", () => {
  const r = preventionChain(MEASURES, AREAS, {year: 2023});
  const cell = (m: (typeof r)["city"], p: string, h: string) => m.cells.find((c) => c.life_phase === p && c.handlungsfeld === h)!;

  it("city cells: every measure counts fully, money split equally over its cells", () => {
    expect(r.city.cells).toHaveLength(42);
    const c = cell(r.city, "0-3", "II");
    // Geschäftsstelle 70 000/42 + Babylotsen 12 000/2 + Stadtteilarbeit 6 000/6 = 1 666,67 + 6 000 + 1 000
    expect(c.count).toBe(3);
    expect(c.measures.map((m) => m.measure_id)).toEqual([1, 2, 3]);
    expect(c.amount_eur).toBeCloseTo(70_000 / 42 + 7_000, 9);
    expect(cell(r.city, "16-27", "VII")).toMatchObject({count: 1, relevant: false});
    expect(r.city.amount_eur).toBe(91_000);
    expect(r.city.cells.reduce((s, x) => s + x.amount_eur, 0)).toBeCloseTo(91_000, 6);
    expect(r.city.measure_count).toBe(4);
    // phase 0-3: 70 000/6 + 12 000/2 + 6 000/3
    expect(r.city.phase_totals.find((t) => t.key === "0-3")).toEqual({key: "0-3", count: 3, amount_eur: expect.closeTo(70_000 / 6 + 8_000, 9)});
    // field II: 70 000/7 + 12 000 + 6 000/2 = 25 000
    expect(r.city.field_totals.find((t) => t.key === "II")).toEqual({key: "II", count: 3, amount_eur: expect.closeTo(25_000, 9)});
    expect(r.cross_cutting).toEqual([{measure_id: 1, measure: "Geschäftsstelle", cross_cutting: true}]);
    expect(r.year).toBe(2023);
  });

  it("area cells use the area's money; areas add up to the city", () => {
    const nord = r.areas.find((a) => a.area_id === "1")!;
    // 70 000/3/42 + 6 000/2 + 6 000/6
    expect(cell(nord, "0-3", "II").amount_eur).toBeCloseTo(70_000 / 126 + 4_000, 9);
    expect(nord.amount_eur).toBeCloseTo(70_000 / 3 + 12_000, 9);
    expect(r.areas.reduce((s, a) => s + a.amount_eur, 0)).toBeCloseTo(91_000, 6);
    // Mitte in 3-6 / VI: only the Geschäftsstelle (cross-cutting)
    expect(cell(r.areas.find((a) => a.area_id === "2")!, "3-6", "VI").measures).toEqual([{measure_id: 1, measure: "Geschäftsstelle", cross_cutting: true}]);
  });

  it("gaps by hand: 13 city gaps, 14 for Nord (class 4), 9 for Mitte (class 3), none for Süd (class 1)", () => {
    // city: phases 10-16, 16-27 without measures (Geschäftsstelle does not count) → 2 breaks;
    // relevant empty cells: schwangerschaft V; 0-3 III, V, VI; 3-6 I, III, V; 6-10 I, III, V, VI → 11 gaps
    const city = r.gaps.filter((g) => g.scope === "city");
    expect(city.filter((g) => g.kind === "phase").map((g) => g.life_phase)).toEqual(["10-16", "16-27"]);
    expect(city.filter((g) => g.kind === "cell").map((g) => `${g.life_phase} ${g.handlungsfeld}`)).toEqual([
      "schwangerschaft V", "0-3 III", "0-3 V", "0-3 VI", "3-6 I", "3-6 III", "3-6 V", "6-10 I", "6-10 III", "6-10 V", "6-10 VI"
    ]);
    // gaps follow the life course: schwangerschaft … 16-27
    expect(city.map((g) => g.life_phase)[0]).toBe("schwangerschaft");
    expect(city.find((g) => g.life_phase === "10-16")!.sentence).toBe(
      "Bruch in der Präventionskette: In der Lebensphase „10 bis unter 16 Jahre“ gibt es stadtweit keine Maßnahme. Querschnittsaufgaben (z. B. die Geschäftsstelle) zählen hier nicht als Angebot."
    );
    expect(city[0]!.sentence).toBe("Lücke: In der Lebensphase „Schwangerschaft und Geburt“ gibt es im Handlungsfeld V (Frühe Hilfen, Gesundheit, Bewegung und Ernährung) stadtweit keine Maßnahme.");

    // Nord: schwangerschaft V; 0-3 III, V, VI; 3-6 I, III, V, VI; 6-10 I, III, V, VI; breaks 10-16, 16-27 → 14
    const nord = r.gaps.filter((g) => g.area_id === "1");
    expect(nord.map((g) => `${g.kind} ${g.life_phase} ${g.handlungsfeld ?? "-"}`)).toEqual([
      "cell schwangerschaft V", "cell 0-3 III", "cell 0-3 V", "cell 0-3 VI", "cell 3-6 I", "cell 3-6 III", "cell 3-6 V", "cell 3-6 VI",
      "cell 6-10 I", "cell 6-10 III", "cell 6-10 V", "cell 6-10 VI", "phase 10-16 -", "phase 16-27 -"
    ]);
    const nordVi = nord.find((g) => g.life_phase === "3-6" && g.handlungsfeld === "VI")!;
    expect(nordVi).toMatchObject({also_city_gap: false, measures_elsewhere: 1, need_class: 4});
    expect(nordVi.sentence).toBe(
      "Lücke: Gebiet „Nord“ (Bedarfsklasse 4) wird in der Lebensphase „3 bis unter 6 Jahre“ im Handlungsfeld VI (Bildung) von keiner Maßnahme erreicht. In anderen Gebieten gibt es hier 1 Maßnahme."
    );

    // Mitte: schwangerschaft V; 0-3 III, IV, V, VI; breaks 3-6 (2 measures elsewhere), 6-10 (1), 10-16, 16-27 → 9
    const mitte = r.gaps.filter((g) => g.area_id === "2");
    expect(mitte.map((g) => `${g.kind} ${g.life_phase} ${g.handlungsfeld ?? "-"}`)).toEqual([
      "cell schwangerschaft V", "cell 0-3 III", "cell 0-3 IV", "cell 0-3 V", "cell 0-3 VI", "phase 3-6 -", "phase 6-10 -", "phase 10-16 -", "phase 16-27 -"
    ]);
    expect(mitte[5]!.sentence).toBe(
      "Bruch in der Präventionskette: Gebiet „Mitte“ (Bedarfsklasse 3) wird in der Lebensphase „3 bis unter 6 Jahre“ von keiner Maßnahme erreicht. In anderen Gebieten gibt es in dieser Lebensphase 2 Maßnahmen."
    );
    expect(mitte[7]!.sentence).toContain("Auch stadtweit gibt es in dieser Lebensphase keine Maßnahme.");
    expect(r.gaps.filter((g) => g.area_id === "3")).toEqual([]);
    expect(r.gaps).toHaveLength(13 + 14 + 9);
  });

  it("options: cross-cutting off closes every gap; custom relevance; other high-need classes", () => {
    expect(preventionChain(MEASURES, AREAS, {year: 2023, crossCuttingMinFields: 8}).gaps).toEqual([]);
    const withVii = preventionChain(MEASURES, AREAS, {year: 2023, relevance: {VII: ["0-3"]}});
    expect(withVii.gaps.filter((g) => g.handlungsfeld === "VII").map((g) => g.area_id)).toEqual([null, "1", "2"]);
    const onlyFour = preventionChain(MEASURES, AREAS, {year: 2023, highNeedClasses: [4]});
    expect(new Set(onlyFour.gaps.map((g) => g.area_id))).toEqual(new Set([null, "1"]));
  });

  it("input checks", () => {
    expect(() => preventionChain(MEASURES, AREAS)).toThrow(/mehreren Jahren/);
    expect(() => preventionChain([{...MEASURES[1]!, handlungsfeld: ["VIII"]}], AREAS)).toThrow(/Handlungsfeld/);
    expect(() => preventionChain([{...MEASURES[1]!, life_phases: ["0-6"]}], AREAS)).toThrow(/Lebensphase/);
    const r = preventionChain([{...MEASURES[3]!, areas: ["3", "99"]}], AREAS);
    expect(r.warnings[0]).toContain("99");
    expect(DEFAULT_RELEVANCE.VII).toEqual([]);
  });
});
