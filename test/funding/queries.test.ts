import {readFileSync} from "node:fs";
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {schemaSQL} from "../../loaders/database.ts";
import {allocate} from "../../loaders/funding/allocation.ts";
import {preventionChain} from "../../loaders/funding/chain.ts";
import {concentrationByYearAndProgramme} from "../../loaders/funding/concentration.ts";
import {loadAllocationAreas, loadChainInputs, loadConcentrationInputs, loadReachRows} from "../../loaders/funding/queries.ts";
import {reachAgainstNeed, reachByArea, reachByMeasure} from "../../loaders/funding/reach.ts";

let instance: DuckDBInstance;
let conn: DuckDBConnection;

/*
 * City "0" → districts B1 (leaves 11, 12) and B2 (leaf 21). Children 2023:
 *   leaf  0-3  3-6  6-10  10-15  15-18  | 0-18
 *   11     30   30    40     50     30  |  180
 *   12     10   10    20     20     20  |   80
 *   21     60   40    50     70     40  |  260
 * Measures 2023:
 *   1 kinderstark, city-wide, 5 200 €, children 0-18, reach 100 → leaves 1 800 / 800 / 2 600 €, reach 100·180/520 …
 *   2 kinderstark, B1, 3 000 €, children 0-3, reach 20 → leaves 11: 3 000·30/40 = 2 250, 12: 750
 *   3 Frühe Hilfen, leaf 21, 500 €, beantragt (not granted)
 */
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  await conn.run(schemaSQL());
  await conn.run(`
    INSERT INTO area_levels VALUES ('stadt', 0, 'Stadt'), ('stadtbezirk', 1, 'Stadtbezirk'), ('ortsteil', 2, 'Ortsteil');
    INSERT INTO areas (area_id, name, level, level_rank, parent_id) VALUES
      ('0', 'Musterstadt', 'stadt', 0, NULL), ('B1', 'Nord', 'stadtbezirk', 1, '0'), ('B2', 'Süd', 'stadtbezirk', 1, '0'),
      ('11', 'Nord-West', 'ortsteil', 2, 'B1'), ('12', 'Nord-Ost', 'ortsteil', 2, 'B1'), ('21', 'Süd-Mitte', 'ortsteil', 2, 'B2');
    INSERT INTO population (year, area_id, age_band, count) VALUES
      (2023, '11', '0-3', 30), (2023, '11', '3-6', 30), (2023, '11', '6-10', 40), (2023, '11', '10-15', 50), (2023, '11', '15-18', 30),
      (2023, '12', '0-3', 10), (2023, '12', '3-6', 10), (2023, '12', '6-10', 20), (2023, '12', '10-15', 20), (2023, '12', '15-18', 20),
      (2023, '21', '0-3', 60), (2023, '21', '3-6', 40), (2023, '21', '6-10', 50), (2023, '21', '10-15', 70), (2023, '21', '15-18', 40);
    INSERT INTO measures (measure_id, year, programme, measure, provider, amount_eur, status, handlungsfeld, life_phases, areas, city_wide, target_group, reach, reach_unit) VALUES
      (1, 2023, 'kinderstark', 'Stadtteilarbeit', 'Träger A', 5200, 'bewilligt', ['II'], ['0-3', '3-6'], [], true, 'children_0_18', 100, 'persons'),
      (2, 2023, 'kinderstark', 'Babylotsen Nord', 'Träger B', 3000, 'bewilligt', ['V'], ['schwangerschaft'], ['B1'], false, 'children_0_3', 20, 'families'),
      (3, 2023, 'Frühe Hilfen', 'Hebammen', 'Träger C', 500, 'beantragt', ['V'], ['0-3'], ['21'], false, 'births', NULL, NULL);
  `);
  await conn.run(readFileSync(new URL("../../loaders/indicators/facts.sql", import.meta.url), "utf8"));
  await conn.run(`
    CREATE TABLE need_index (year INTEGER, level VARCHAR, area_id VARCHAR, status_z DOUBLE, status_class INTEGER, dynamics_z DOUBLE, dynamics_class INTEGER, basis VARCHAR);
    INSERT INTO need_index VALUES (2022, 'stadtbezirk', 'B1', 1.2, 3, NULL, NULL, 'Jahreswert'), (2022, 'stadtbezirk', 'B2', -1.2, 1, NULL, NULL, 'Jahreswert'),
                                  (2025, 'stadtbezirk', 'B1', 9, 4, NULL, NULL, 'Jahreswert'), (2025, 'stadtbezirk', 'B2', -9, 1, NULL, NULL, 'Jahreswert');
    -- the published (protected) values the funding queries read; nothing withheld here
    CREATE TABLE indicator_published (year INTEGER, area_id VARCHAR, level VARCHAR, indicator_id VARCHAR, numerator DOUBLE, denominator DOUBLE, rate DOUBLE, suppressed VARCHAR);
    INSERT INTO indicator_published VALUES
      (2023, 'B1', 'stadtbezirk', 'sgb2_u6', 30, 80, 30 / 80, NULL), (2023, 'B2', 'stadtbezirk', 'sgb2_u6', 10, 100, 0.1, NULL),
      (2021, 'B1', 'stadtbezirk', 'seu_family_lang_nongerman', 5, 20, 0.25, NULL), (2021, 'B2', 'stadtbezirk', 'seu_family_lang_nongerman', 2, 20, 0.1, NULL);
    CREATE TABLE population_withheld (area_id VARCHAR, year INTEGER);
  `);
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

describe("funding queries on a computed city database", () => {
  it("concentration inputs per district (need of 2022 used for 2023; 2025 is later)", async () => {
    const {areas, funding} = await loadConcentrationInputs(conn, {level: "stadtbezirk"});
    expect(areas).toEqual([
      {year: 2023, area_id: "B1", name: "Nord", need_year: 2022, need: 1.2, need_class: 3, population: 260},
      {year: 2023, area_id: "B2", name: "Süd", need_year: 2022, need: -1.2, need_class: 1, population: 260}
    ]);
    // B1: 1 800 + 800 + 2 250 + 750 = 5 600; B2: 2 600; the applied 500 € are not granted
    expect(funding).toEqual([
      {year: 2023, programme: "kinderstark", area_id: "B1", amount: 5600},
      {year: 2023, programme: "kinderstark", area_id: "B2", amount: 2600}
    ]);
    // points (0,0) (0.5, 28/41) (1,1): C = 0.5·28/41 + 0.5·(28/41 + 1) − 1 = 28/41 − 1/2 = 15/82
    const groups = concentrationByYearAndProgramme(areas, funding);
    expect(groups.map((g) => g.programme)).toEqual([null, "kinderstark"]);
    expect(groups[0]!.result.index).toBeCloseTo(15 / 82, 12);
  });

  it("reach rows include unserved districts with reach 0", async () => {
    const rows = await loadReachRows(conn, {level: "stadtbezirk"});
    // measure 1: 100 split by children 0-18 (260/520 each); measure 2: 20 in B1 (children 0-3: 40), B2 unserved (children 0-3: 60)
    expect(rows).toEqual([
      {measure_id: 1, year: 2023, area_id: "B1", reach: 50, target_population: 260, served: true},
      {measure_id: 1, year: 2023, area_id: "B2", reach: 50, target_population: 260, served: true},
      {measure_id: 2, year: 2023, area_id: "B1", reach: 20, target_population: 40, served: true},
      {measure_id: 2, year: 2023, area_id: "B2", reach: 0, target_population: 60, served: false}
    ]);
    expect(reachByMeasure(rows).map((m) => m.uniform_by_construction)).toEqual([true, false]);
    // B1: (50 + 20) / (260 + 40) = 0.2333…; B2: 50 / 320 = 0.15625; high (class 3) vs low (class 1)
    const r = reachAgainstNeed(reachByArea(rows), [
      {area_id: "B1", need_z: 1.2, need_class: 3},
      {area_id: "B2", need_z: -1.2, need_class: 1}
    ]);
    expect(r.high.ratio).toBeCloseTo(70 / 300, 14);
    expect(r.low.ratio).toBeCloseTo(50 / 320, 14);
  });

  it("chain inputs per district feed the prevention chain", async () => {
    const {measures, areas} = await loadChainInputs(conn, {level: "stadtbezirk", year: 2023});
    expect(measures.map((m) => [m.measure_id, m.areas, m.area_amounts, m.handlungsfeld, m.life_phases])).toEqual([
      [1, ["B1", "B2"], {B1: 2600, B2: 2600}, ["II"], ["0-3", "3-6"]],
      [2, ["B1"], {B1: 3000}, ["V"], ["schwangerschaft"]]
    ]);
    expect(areas).toEqual([
      {area_id: "B1", name: "Nord", need_class: 3},
      {area_id: "B2", name: "Süd", need_class: 1}
    ]);
    const chain = preventionChain(measures, areas);
    expect(chain.areas[0]!.amount_eur).toBe(5600);
    expect(chain.gaps.some((g) => g.area_id === "B1" && g.life_phase === "6-10" && g.kind === "phase")).toBe(true);
  });

  it("allocation inputs per district (non-German family language estimated from the SEU share)", async () => {
    const areas = await loadAllocationAreas(conn, {level: "stadtbezirk", year: 2023});
    // children under 6: B1 30+30+10+10 = 80, B2 60+40 = 100; SEU share 5/20 and 2/20 → 20 and 10
    expect(areas).toEqual([
      {area_id: "B1", name: "Nord", target_population: 260, need_z: 1.2, need_class: 3, sgb2_u6: 30, nongerman_lang: 20, current: 5600},
      {area_id: "B2", name: "Süd", target_population: 260, need_z: -1.2, need_class: 1, sgb2_u6: 10, nongerman_lang: 10, current: 2600}
    ]);
    // PlusKITA: B1 = .75·30/40 + .25·20/30 = .5625 + .1666… = .72916…; 10 000 € → 7 291,666… → 729 167 cents
    const r = allocate(1_000_000, areas, "pluskita");
    expect(r.rows.map((x) => x.proposed_cents)).toEqual([729_167, 270_833]);
  });
});
