import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {describe, expect, test} from "vitest";
import {rowsToTypedArrowIPC} from "../../loaders/export/arrow.ts";
import {routePath} from "../../loaders/export/handover.ts";
import {pageModules} from "../../loaders/export/page-modules.ts";
import {reportLevel, type SiteIndex} from "../../loaders/export/site-export.ts";
import {addFooter, SITE_FOOTER} from "../../scripts/site-footer.ts";
import {CHAIN_PART, chainFiles, fundingPageFile, indicatorSlices, leavesBelow, overviewFile, profileFiles, YEAR_COLUMNS} from "../../loaders/export/slices.ts";
import type {CityMeta} from "../../loaders/export/site.ts";

const levels: CityMeta["levels"] = [
  {level: "stadt", level_rank: 0, name: "Stadt"},
  {level: "bezirk", level_rank: 1, name: "Bezirk"},
  {level: "viertel", level_rank: 2, name: "Viertel"}
];
const areas = [
  {area_id: "0", name: "Stadt", level: "stadt", level_rank: 0, parent_id: null},
  {area_id: "1", name: "Nord", level: "bezirk", level_rank: 1, parent_id: "0"},
  {area_id: "2", name: "Süd", level: "bezirk", level_rank: 1, parent_id: "0"},
  {area_id: "11", name: "Nord-West", level: "viertel", level_rank: 2, parent_id: "1"},
  {area_id: "12", name: "Nord-Ost", level: "viertel", level_rank: 2, parent_id: "1"},
  {area_id: "21", name: "Süd-Mitte", level: "viertel", level_rank: 2, parent_id: "2"}
];

function value(indicator: string, area: (typeof areas)[number], year: number, rate: number | null) {
  return {
    year, area_id: area.area_id, name: area.name, level: area.level, indicator_id: indicator, numerator: rate === null ? null : rate * 100, denominator: rate === null ? null : 100,
    rate, ci_lo: null, ci_hi: null, city_rate: 0.2, diff_city: null, signif: 0, pooled_rate: 0.3, pooled_ci_lo: null, pooled_ci_hi: null, change_1y: rate === null ? null : 0.01, change_ky: 0.5,
    suppressed: rate === null ? "geheim" : null, pooled_suppressed: null, synthetic: true
  };
}

const values = [2023, 2024].flatMap((year) => areas.flatMap((a) => ["x", "y"].map((ind) => value(ind, a, year, a.area_id === "12" && ind === "x" ? null : 0.1 + Number(a.area_id) / 100))));

describe("indicator page files", () => {
  test("the city's rows apart; one file per level and indicator with every year; no three-year values", () => {
    const slices = indicatorSlices(values, levels);
    expect(slices.city).toHaveLength(4);
    expect([...slices.files.keys()].sort()).toEqual(["data/werte/bezirk/x.arrow", "data/werte/bezirk/y.arrow", "data/werte/viertel/x.arrow", "data/werte/viertel/y.arrow"]);
    expect(slices.index).toEqual({bezirk: {x: {years: [2023, 2024], split: false}, y: {years: [2023, 2024], split: false}}, viertel: {x: {years: [2023, 2024], split: false}, y: {years: [2023, 2024], split: false}}});
    const file = slices.files.get("data/werte/viertel/x.arrow")!;
    expect(file.rows).toHaveLength(6);
    expect(Object.keys(file.rows[0]!)).toEqual(Object.keys(YEAR_COLUMNS));
    expect(Object.keys(file.rows[0]!)).not.toContain("pooled_rate");
  });

  test("a large level: one file per year and the series of all years", () => {
    const slices = indicatorSlices(values, levels, 4);
    expect([...slices.files.keys()].filter((p) => p.startsWith("data/werte/viertel/x")).sort()).toEqual(["data/werte/viertel/x/2023.arrow", "data/werte/viertel/x/2024.arrow", "data/werte/viertel/x/verlauf.arrow"]);
    expect(slices.index.viertel!.x).toEqual({years: [2023, 2024], split: true});
    expect(Object.keys(slices.files.get("data/werte/viertel/x/verlauf.arrow")!.rows[0]!)).toEqual(["year", "area_id", "rate", "suppressed", "synthetic"]);
  });

  test("typed Arrow columns keep every value exactly and refuse what they cannot hold", () => {
    const rows = [{year: 2024, area_id: "11", rate: 0.1 + 0.2, suppressed: null}, {year: 2024, area_id: "12", rate: null, suppressed: "geheim"}];
    const back = tableFromIPC(rowsToTypedArrowIPC(rows, {year: "i16", area_id: "dict", rate: "f64", suppressed: "dict"})).toArray().map((r) => r.toJSON());
    expect(back).toEqual(rows);
    expect(() => rowsToTypedArrowIPC([{year: 2024.5}], {year: "i16"})).toThrow(/kann 2024.5 nicht genau speichern/);
  });
});

describe("area profiles", () => {
  test("one file per area below the city: its values, need, the Kitas of its lowest-level areas in the latest year, its measures", () => {
    const kitas = [
      {year: 2023, area_id: "11", name: "Alt", provider_type: "frei", places_u3: 1, places_ue3: 2, familienzentrum: false, pluskita: false, synthetic: false},
      {year: 2024, area_id: "11", name: "Kita A", provider_type: "frei", places_u3: 10, places_ue3: 20, familienzentrum: true, pluskita: false, synthetic: false},
      {year: 2024, area_id: "21", name: "Kita B", provider_type: "städtisch", places_u3: 5, places_ue3: 5, familienzentrum: false, pluskita: true, synthetic: false}
    ];
    const files = profileFiles({
      areas,
      values,
      need: [{year: 2024, level: "bezirk", area_id: "1", name: "Nord", status_z: 1.2, status_class: 3}],
      kitas,
      funding: {measures: [{measure_id: 7, year: 2024, measure: "M", provider: "P", status: "bewilligt", handlungsfeld: ["I"], life_phases: ["0-3"], city_wide: true, amount_eur: 1000}], served: [{measure_id: 7, year: 2024, area_id: "1", amount_eur: 400, share: 0.4}]}
    });
    expect([...files.keys()].sort()).toEqual(["data/gebiet/1.json", "data/gebiet/11.json", "data/gebiet/12.json", "data/gebiet/2.json", "data/gebiet/21.json"]);
    const nord = files.get("data/gebiet/1.json") as Record<string, any>;
    expect(nord.area).toEqual({area_id: "1", name: "Nord", level: "bezirk", level_rank: 1});
    expect(nord.children.map((c: {area_id: string}) => c.area_id)).toEqual(["11", "12"]);
    expect(nord.values.every((v: {area_id: string}) => v.area_id === "1")).toBe(true);
    expect(nord.values).toHaveLength(4);
    expect(nord.kitas).toEqual({year: 2024, rows: [expect.objectContaining({name: "Kita A"})]});
    // the measure's money for this area (its share), not the measure's total
    expect(nord.measures).toEqual([expect.objectContaining({measure_id: 7, area_id: "1", amount_eur: 400})]);
    expect(leavesBelow(areas).get("0")).toEqual(["11", "12", "21"]);
  });

  test("the overview: changes of the lowest level in the latest year, tested only where both years have counts", () => {
    const city = {levels, latest_year: 2024, indicators: [{indicator_id: "x", polarity: 1, kind: "proportion"}, {indicator_id: "y", polarity: 0, kind: "proportion"}]} as unknown as CityMeta;
    // x: 2023 10 of 100 in every area, 2024 the rate of the fixture on 10.000 children (11: 21 %, 21: 31 %);
    // y has no direction, 12/x is withheld, upper levels and 2023 are not the overview's
    const counted = values.map((r) => r.indicator_id === "x" && r.rate !== null
      ? {...r, numerator: r.year === 2023 ? 10 : Math.round(Number(r.rate) * 10000), denominator: r.year === 2023 ? 100 : 10000}
      : r);
    const overview = overviewFile(counted, [], city) as {changes: {indicator_id: string; area_id: string}[]; changes_tested: number};
    expect(overview.changes_tested).toBe(2);
    expect(overview.changes.map((c) => `${c.indicator_id}/${c.area_id}`)).toEqual(["x/11", "x/21"]);
    // without counts nothing is tested and nothing is called a change (selection: overview-changes.test.ts)
    const uncounted = counted.map((r) => ({...r, numerator: null}));
    expect((overviewFile(uncounted, [], city) as {changes: unknown[]; changes_tested: number})).toMatchObject({changes: [], changes_tested: 0});
  });
});

describe("prevention chain files", () => {
  test("the list with the city's matrix and the gaps, and the areas' matrices in parts", () => {
    const cell = (amount: number) => ({life_phase: "0-3", handlungsfeld: "I", relevant: true, measures: [{cross_cutting: false}, {cross_cutting: true}], count: 2, amount_eur: amount});
    const chainAreas = Array.from({length: CHAIN_PART + 3}, (_, i) => ({area_id: `a${i}`, name: `A ${i}`, need_class: 2, cells: [cell(i)], phase_totals: [], field_totals: []}));
    const gap = {kind: "cell", scope: "area", area_id: "a1", area_name: "A 1", need_class: 2, life_phase: "0-3", handlungsfeld: "I", also_city_gap: false, measures_elsewhere: 1, sentence: "Lücke: …"};
    const files = chainFiles({year: 2024, city: {name: "Stadt", cells: [cell(99)]}, areas: chainAreas, gaps: [gap], cross_cutting: [], relevance: {}, warnings: []}, "data/kette/x/2024");
    expect([...files.keys()]).toEqual(["data/kette/x/2024.json", "data/kette/x/2024/0.json", "data/kette/x/2024/1.json"]);
    const list = files.get("data/kette/x/2024.json") as {areas: unknown[]; city: {cells: unknown[]}};
    expect(list.areas[0]).toEqual({area_id: "a0", name: "A 0", need_class: 2});
    // a gap names its area by id only (name and need class are in the list of areas)
    expect((list as unknown as {gaps: unknown[]}).gaps).toEqual([{kind: "cell", scope: "area", area_id: "a1", life_phase: "0-3", handlungsfeld: "I", sentence: "Lücke: …"}]);
    // a cell counts the measures without the cross-cutting ones
    expect(list.city.cells[0]).toEqual({life_phase: "0-3", handlungsfeld: "I", relevant: true, measures: 1, amount_eur: 99});
    expect((files.get("data/kette/x/2024/1.json") as {areas: {area_id: string}[]}).areas.map((a) => a.area_id)).toEqual([`a${CHAIN_PART}`, `a${CHAIN_PART + 1}`, `a${CHAIN_PART + 2}`]);
  });
});

describe("the site's run-time file lists", () => {
  test("page modules name every file with a literal FileAttachment", () => {
    const index: SiteIndex = {
      werte: {bezirk: {x: {years: [2023, 2024], split: false}}, viertel: {x: {years: [2024], split: true}}},
      karten: ["bezirk"], kitas: [2024], foerderung: {bezirk: [2024]}, verteilung: ["bezirk"], kette: {bezirk: {"2024": 2}}, gebiete: [], berichte: [], downloads: []
    };
    const modules = pageModules(index);
    expect(Object.keys(modules).sort()).toEqual(["foerderung.js", "karten.js", "kette.js", "kita.js", "verteilung.js", "werte.js"]);
    expect(modules["werte.js"]).toContain('FileAttachment("../../data/werte/bezirk/x.arrow").arrayBuffer()');
    expect(modules["werte.js"]).toContain('FileAttachment("../../data/werte/viertel/x/2024.arrow").arrayBuffer()');
    expect(modules["werte.js"]).toContain('FileAttachment("../../data/werte/viertel/x/verlauf.arrow").arrayBuffer()');
    expect(modules["kette.js"]).toContain('FileAttachment("../../data/kette/bezirk/2024/1.json").json()');
    // a generated module is valid JavaScript (FileAttachment supplied)
    const dir = mkdtempSync(join(tmpdir(), "chancenatlas-modules-"));
    try {
      const file = join(dir, "werte.mjs");
      writeFileSync(file, modules["werte.js"]!.replace('import {FileAttachment} from "observablehq:stdlib";', "const FileAttachment = (name) => ({arrayBuffer: () => name, json: () => name});"));
      return import(file).then((m: {default: Record<string, Record<string, {jahre: number[]; alle?: () => string}>>}) => {
        expect(m.default.bezirk!.x!.jahre).toEqual([2023, 2024]);
        expect(m.default.bezirk!.x!.alle!()).toBe("../../data/werte/bezirk/x.arrow");
        expect(readFileSync(file, "utf8")).toContain("do not edit");
      });
    } finally {
      setTimeout(() => rmSync(dir, {recursive: true, force: true}), 1000);
    }
  });

  test("a loader's route is filled from Framework's --param=value arguments, never outside the folder", () => {
    expect(routePath("data/werte/[level]/[indicator]/[slice].arrow", ["--level=stadtteil", "--indicator=sgb2_u15", "--slice=2024"])).toBe("data/werte/stadtteil/sgb2_u15/2024.arrow");
    expect(() => routePath("data/gebiet/[area].json", [])).toThrow(/--area fehlt/);
    expect(() => routePath("data/gebiet/[area].json", ["--area=../../x"])).toThrow(/ungültiger Wert/);
  });

  test("the report describes the lowest level with at most 400 areas", () => {
    const many = (level: string, n: number) => Array.from({length: n}, () => ({level}));
    const big = [...many("kreis", 30), ...many("gemeinde", 250), ...many("bezirk", 2000)];
    const lv = [{level: "land", level_rank: 0}, {level: "kreis", level_rank: 1}, {level: "gemeinde", level_rank: 2}, {level: "bezirk", level_rank: 3}];
    expect(reportLevel(lv, big)).toBe("gemeinde");
    expect(reportLevel(lv.slice(0, 3), [...many("kreis", 30), ...many("gemeinde", 250)])).toBe("gemeinde");
    expect(reportLevel(lv, [...many("kreis", 500), ...many("gemeinde", 2500), ...many("bezirk", 9000)])).toBe("kreis");
  });
});

describe("the footer line of the built pages", () => {
  test("after the pager, or as the footer of a page without one; once", () => {
    const withPager = '</main>\n<footer id="observablehq-footer">\n<nav><a rel="next" href="./x"><span>X</span></a></nav>\n</footer>\n</div>';
    const out = addFooter(withPager);
    expect(out).toBe(`</main>\n<footer id="observablehq-footer">\n<nav><a rel="next" href="./x"><span>X</span></a></nav>\n<div>${SITE_FOOTER}</div>\n</footer>\n</div>`);
    expect(addFooter(out)).toBe(out);
    expect(addFooter("<main>…</main>\n</div>")).toBe(`<main>…</main>\n<footer id="observablehq-footer">\n<div>${SITE_FOOTER}</div>\n</footer>\n</div>`);
  });
});

describe("funding page file", () => {
  test("concentration points with the fields the page shows; reach without the areas", () => {
    const point = {x: 0.5, y: 0.25, area_ids: ["11", "12"], need: 1.2, population: 10, amount: 100, amount_per_child: 10};
    const data = {
      concentration: [{year: 2024, programme: null, points: [point], index: 0.1}, {year: 2023, programme: null, points: [point], index: 0.2}],
      reach: [{year: 2024, byMeasure: [{measure_id: 1}], byArea: [{area_id: "11"}], againstNeed: null, note: null}],
      allocation: null, chain: [],
      perArea: [{year: 2024, area_id: "11", amount: 1}, {year: 2023, area_id: "11", amount: 2}]
    };
    expect(fundingPageFile(data, 2024)).toEqual({
      concentration: [{year: 2024, programme: null, points: [{x: 0.5, y: 0.25, amount: 100, population: 10}], index: 0.1}],
      perArea: [{year: 2024, area_id: "11", amount: 1}],
      reach: {year: 2024, byMeasure: [{measure_id: 1}], againstNeed: null, note: null}
    });
    expect(fundingPageFile({...data, reach: []}, 2024).reach).toBeNull();
  });
});
