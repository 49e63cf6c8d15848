/**
 * Checks of the embedded default data in data/ against the input contract
 * (docs/data-format.md) and against the real sources.
 */
import {existsSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {geoContains} from "d3";
import type {Feature, MultiPolygon, Polygon} from "geojson";
import {describe, expect, it} from "vitest";
import {d3Winding, fromUtm32} from "../../tools/generate/geo.ts";
import {CITIES, DATA_DIR, type Rec, dataAreas, dataCsv} from "./helpers.ts";

const SYN = "synthetisch";
const YEARS = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

describe("file set and size", () => {
  it("every city has the contract files", () => {
    for (const c of CITIES) {
      for (const f of ["city.json", "population.csv", "kitas.csv", "measures.csv", "programme_totals.csv", "indicators.csv", "SOURCES.md"]) {
        expect(existsSync(join(DATA_DIR, c, f)), `${c}/${f}`).toBe(true);
      }
      expect(existsSync(join(DATA_DIR, c, "areas.csv")) || existsSync(join(DATA_DIR, c, "areas.geojson"))).toBe(true);
    }
    expect(existsSync(join(DATA_DIR, "bochum", "seu.csv"))).toBe(true);
    expect(existsSync(join(DATA_DIR, "bottrop", "seu.csv"))).toBe(true);
    expect(existsSync(join(DATA_DIR, "koeln", "seu.csv"))).toBe(false);
  });

  it("data/ stays below 15 MB", () => {
    let total = 0;
    for (const c of CITIES) {
      for (const f of ["city.json", "areas.csv", "areas.geojson", "outline.geojson", "population.csv", "seu.csv", "kitas.csv", "measures.csv", "programme_totals.csv", "indicators.csv", "SOURCES.md"]) {
        const p = join(DATA_DIR, c, f);
        if (existsSync(p)) total += statSync(p).size;
      }
    }
    expect(total).toBeLessThan(15 * 1024 * 1024);
  });
});

describe("areas", () => {
  for (const c of CITIES) {
    it(`${c}: ids unique, levels valid, parents one level higher`, () => {
      const city = JSON.parse(readFileSync(join(DATA_DIR, c, "city.json"), "utf8")) as {levels: {id: string}[]};
      const levelIndex = new Map(city.levels.map((l, i) => [l.id, i]));
      const areas = dataAreas(c);
      const ids = areas.map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
      const byId = new Map(areas.map((a) => [a.id, a]));
      const roots = areas.filter((a) => a.parent_id === null || a.parent_id === "");
      expect(roots).toHaveLength(1);
      expect(levelIndex.get(roots[0]!.level)).toBe(0);
      for (const a of areas) {
        expect(typeof a.id).toBe("string");
        expect(levelIndex.has(a.level), a.level).toBe(true);
        if (a === roots[0]) continue;
        const parent = byId.get(a.parent_id ?? "");
        expect(parent, `${a.id} parent ${a.parent_id}`).toBeDefined();
        expect(levelIndex.get(parent!.level)).toBe((levelIndex.get(a.level) ?? 0) - 1);
      }
    });
  }

  it("expected area counts per level", () => {
    const count = (c: string, level: string): number => dataAreas(c).filter((a) => a.level === level).length;
    expect(count("bochum", "stadtbezirk")).toBe(6);
    expect(count("bottrop", "stadtbezirk")).toBe(3);
    expect(count("bottrop", "sozialraum")).toBe(27);
    expect(count("koeln", "stadtbezirk")).toBe(9);
    expect(count("koeln", "stadtteil")).toBe(86);
    const koeln = dataAreas("koeln");
    expect(koeln.find((a) => a.id === "001")?.name).toBe("Innenstadt");
    expect(koeln.find((a) => a.id === "609")?.parent_id).toBe("006");
  });

  it("Bochum tiles cover every Stadtbezirk once", () => {
    const city = JSON.parse(readFileSync(join(DATA_DIR, "bochum", "city.json"), "utf8")) as {tiles: {area_id: string; row: number; col: number}[]};
    expect(city.tiles.map((t) => t.area_id).sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(new Set(city.tiles.map((t) => `${t.row},${t.col}`)).size).toBe(6);
  });
});

function knownAreas(c: string): Set<string> {
  return new Set(dataAreas(c).map((a) => a.id));
}

describe("provenance: every synthetic record is marked", () => {
  it("population.csv", () => {
    for (const c of CITIES) {
      for (const r of dataCsv(c, "population.csv").rows) {
        if (c === "koeln" && Number(r["year"]) <= 2012) {
          expect(r["source"]).toMatch(/^Stadt Köln, CC-BY/);
        } else {
          expect(r["source"]).toBe(SYN);
        }
      }
    }
  });

  it("seu.csv and indicators.csv", () => {
    for (const c of ["bochum", "bottrop"]) for (const r of dataCsv(c, "seu.csv").rows) expect(r["source"]).toBe(SYN);
    for (const c of CITIES) for (const r of dataCsv(c, "indicators.csv").rows) expect(r["source"]).toBe(SYN);
  });

  it("kitas.csv: places and flags synthetic; Bochum locations real", () => {
    for (const c of CITIES) {
      for (const r of dataCsv(c, "kitas.csv").rows) {
        expect(r["source"]).toBe(SYN);
        if (c === "bochum") {
          expect(r["location_source"]).toMatch(/^Stadt Bochum Open Data/);
          expect(r["area_source"]).toMatch(/^abgeleitet/);
        } else {
          expect(r["location_source"]).toBe(SYN);
          expect(r["area_source"]).toMatch(/^synthetisch/);
        }
      }
    }
  });

  it("measures.csv: Bochum amounts real, reach synthetic; Bottrop and Köln synthetic", () => {
    for (const r of dataCsv("bochum", "measures.csv").rows) {
      expect(r["source"]).toMatch(/^Stadt Bochum, Strategie- und Handlungsprogramm/);
      if (r["reach"]) expect(r["reach_source"]).toBe(SYN);
      else expect(r["reach_source"]).toBe("");
    }
    for (const c of ["bottrop", "koeln"]) {
      for (const r of dataCsv(c, "measures.csv").rows) {
        expect(r["source"]).toBe(SYN);
        if (r["reach"]) expect(r["reach_source"]).toBe(SYN);
      }
      for (const r of dataCsv(c, "programme_totals.csv").rows) expect(r["source"]).toBe(SYN);
    }
  });
});

describe("Bochum kinderstark funding lists (real)", () => {
  const measures = dataCsv("bochum", "measures.csv").rows;
  const totals = dataCsv("bochum", "programme_totals.csv").rows;
  const sum = (year: string): number => measures.filter((r) => r["year"] === year).reduce((s, r) => s + Number(r["amount_eur"]), 0);

  it("2023 items sum to 368.600 € and equal the declared total", () => {
    expect(measures.filter((r) => r["year"] === "2023")).toHaveLength(9);
    expect(sum("2023")).toBe(368600);
    const t = totals.find((r) => r["year"] === "2023");
    expect(t?.["declared_total_eur"]).toBe("368600");
    expect(t?.["status"]).toBe("bewilligt");
  });

  it("2024 items sum to 398.450 € while the declared total stays 398.400 €", () => {
    expect(measures.filter((r) => r["year"] === "2024")).toHaveLength(9);
    expect(sum("2024")).toBe(398450);
    const t = totals.find((r) => r["year"] === "2024");
    expect(t?.["declared_total_eur"]).toBe("398400");
    expect(t?.["status"]).toBe("beantragt");
  });

  it("status, Handlungsfeld, life phases and areas are valid", () => {
    for (const r of measures) {
      expect(r["status"]).toBe(r["year"] === "2023" ? "bewilligt" : "beantragt");
    }
    const skfm = measures.filter((r) => r["label_original"] === "Stadtteilarbeit SKFM WAT (Väter)");
    expect(skfm.map((r) => r["areas"])).toEqual(["2", "2"]);
    const baby = measures.filter((r) => r["measure"] === "Babylotsen");
    for (const r of baby) {
      expect(r["target_group"]).toBe("births");
      expect(r["reach_unit"]).toBe("families");
    }
  });
});

const HF = new Set(["I", "II", "III", "IV", "V", "VI", "VII"]);
const PHASES = new Set(["schwangerschaft", "0-3", "3-6", "6-10", "10-16", "16-27"]);
const TARGETS = new Set(["births", "children_0_3", "children_3_6", "children_6_10", "children_10_15", "children_15_18", "children_0_18", "families"]);

describe("contract conformance", () => {
  for (const c of CITIES) {
    it(`${c}: measures.csv values`, () => {
      const known = knownAreas(c);
      for (const r of dataCsv(c, "measures.csv").rows) {
        for (const h of (r["handlungsfeld"] ?? "").split("|")) expect(HF.has(h), h).toBe(true);
        for (const p of (r["life_phases"] ?? "").split("|")) expect(PHASES.has(p), p).toBe(true);
        if (r["areas"] !== "stadtweit") for (const a of (r["areas"] ?? "").split("|")) expect(known.has(a), a).toBe(true);
        expect(TARGETS.has(r["target_group"] ?? "")).toBe(true);
        expect(["bewilligt", "beantragt"]).toContain(r["status"]);
        expect(Number(r["amount_eur"])).toBeGreaterThan(0);
        if (r["reach"]) expect(["persons", "families"]).toContain(r["reach_unit"]);
      }
    });

    it(`${c}: population.csv key unique, counts integer, higher levels are sums`, () => {
      const known = knownAreas(c);
      const rows = dataCsv(c, "population.csv").rows;
      const seen = new Set<string>();
      const value = new Map<string, number>();
      for (const r of rows) {
        const key = `${r["year"]}|${r["area_id"]}|${r["age_band"]}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
        expect(known.has(r["area_id"] ?? "")).toBe(true);
        expect(r["count"]).toMatch(/^\d+$/);
        value.set(key, Number(r["count"]));
      }
      const areas = dataAreas(c);
      const years = [...new Set(rows.map((r) => r["year"]))];
      const bands = [...new Set(rows.map((r) => r["age_band"]))];
      expect(bands.slice(0, 5)).toEqual(["0-3", "3-6", "6-10", "10-15", "15-18"]);
      for (const y of years) {
        for (const parent of areas) {
          const kids = areas.filter((a) => a.parent_id === parent.id);
          if (kids.length === 0) continue;
          for (const b of bands) {
            const s = kids.reduce((acc, k) => acc + (value.get(`${y}|${k.id}|${b}`) ?? NaN), 0);
            expect(s, `${y}/${parent.id}/${b}`).toBe(value.get(`${y}|${parent.id}|${b}`));
          }
        }
      }
    });

    it(`${c}: indicators.csv consistent with population.csv`, () => {
      const pop = new Map<string, number>();
      for (const r of dataCsv(c, "population.csv").rows) pop.set(`${r["year"]}|${r["area_id"]}|${r["age_band"]}`, Number(r["count"]));
      const known = knownAreas(c);
      const seen = new Set<string>();
      for (const r of dataCsv(c, "indicators.csv").rows) {
        const key = `${r["year"]}|${r["area_id"]}|${r["indicator_id"]}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(known.has(r["area_id"] ?? "")).toBe(true);
        const num = Number(r["numerator"]);
        const den = Number(r["denominator"]);
        expect(den).toBeGreaterThan(0);
        expect(num).toBeLessThanOrEqual(den);
        const band = (b: string): number => pop.get(`${r["year"]}|${r["area_id"]}|${b}`) ?? NaN;
        if (r["indicator_id"] === "sgb2_u15") expect(den).toBe(band("0-3") + band("3-6") + band("6-10") + band("10-15"));
        if (r["indicator_id"] === "sgb2_u6") expect(den).toBe(band("0-3") + band("3-6"));
      }
      for (const y of YEARS) for (const a of known) for (const i of ["sgb2_u15", "sgb2_u6"]) expect(seen.has(`${y}|${a}|${i}`), `${y}|${a}|${i}`).toBe(true);
    });

    it(`${c}: kitas.csv key unique, places valid, every Kita in every year`, () => {
      const known = knownAreas(c);
      const rows = dataCsv(c, "kitas.csv").rows;
      const seen = new Set<string>();
      for (const r of rows) {
        const key = `${r["year"]}|${r["kita_id"]}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(known.has(r["area_id"] ?? "")).toBe(true);
        expect(["kommunal", "freie Träger", "evangelisch", "katholisch", "Elterninitiative", "sonstige"]).toContain(r["provider_type"]);
        for (const f of ["places_u3", "places_ue3", "occupied_u3", "occupied_ue3", "x", "y"]) expect(r[f], f).toMatch(/^\d+$/);
        expect(Number(r["occupied_u3"])).toBeLessThanOrEqual(Number(r["places_u3"]));
        expect(Number(r["occupied_ue3"])).toBeLessThanOrEqual(Number(r["places_ue3"]));
        expect(["ja", "nein"]).toContain(r["familienzentrum"]);
        expect(["ja", "nein"]).toContain(r["pluskita"]);
      }
      const ids = new Set(rows.map((r) => r["kita_id"]));
      expect(rows.length).toBe(ids.size * YEARS.length);
    });
  }

  it("SEU microdata use exactly the contract columns and values", () => {
    const cols = [
      "year", "area_id", "sex", "age_months", "sopess_attention", "sopess_numbers", "sopess_visuomotor", "sopess_visual",
      "sopess_coordination", "sopess_language", "german_level", "bmi_category", "u8_documented", "u9_documented",
      "measles_doses", "kita_years", "family_language_german", "source"
    ];
    const sopess = new Set(["unauffällig", "grenzwertig", "auffällig"]);
    for (const c of ["bochum", "bottrop"]) {
      const {fields, rows} = dataCsv(c, "seu.csv");
      expect(fields).toEqual(cols);
      const leaves = new Set(dataAreas(c).filter((a) => a.level === (c === "bochum" ? "stadtbezirk" : "sozialraum")).map((a) => a.id));
      for (const r of rows) {
        expect(leaves.has(r["area_id"] ?? "")).toBe(true);
        expect(["m", "w", "d"]).toContain(r["sex"]);
        const age = Number(r["age_months"]);
        expect(age >= 48 && age <= 96).toBe(true);
        for (const d of ["attention", "numbers", "visuomotor", "visual", "coordination", "language"]) expect(sopess.has(r[`sopess_${d}`] ?? "")).toBe(true);
        expect(["fehlerfrei", "leichte Fehler", "erhebliche Fehler", "kein Deutsch"]).toContain(r["german_level"]);
        expect(["starkes Untergewicht", "Untergewicht", "Normalgewicht", "Übergewicht", "Adipositas"]).toContain(r["bmi_category"]);
        expect(["", "0", "1", "2"]).toContain(r["measles_doses"]);
        const ky = Number(r["kita_years"]);
        expect(Number.isInteger(ky) && ky >= 0 && ky <= 7).toBe(true);
      }
      const perYear = new Map<string, number>();
      for (const r of rows) perYear.set(r["year"] ?? "", (perYear.get(r["year"] ?? "") ?? 0) + 1);
      expect([...perYear.keys()].sort()).toEqual(YEARS.map(String));
    }
  });

  it("Köln SEU aggregates use exactly the catalogue ids", () => {
    const ids = new Set(dataCsv("koeln", "indicators.csv").rows.map((r) => r["indicator_id"]));
    expect([...ids].sort()).toEqual(
      [
        "sgb2_u15", "sgb2_u6", "seu_sopess_attention", "seu_sopess_numbers", "seu_sopess_visuomotor", "seu_sopess_visual",
        "seu_sopess_coordination", "seu_sopess_language", "seu_german_support", "seu_overweight", "seu_obesity", "seu_u8",
        "seu_u9", "seu_measles2", "seu_kita_lt2", "seu_family_lang_nongerman"
      ].sort()
    );
  });
});

describe("Köln real population", () => {
  const rows = dataCsv("koeln", "population.csv").rows;
  const get = (year: number, area: string, band: string): Rec | undefined =>
    rows.find((r) => r["year"] === String(year) && r["area_id"] === area && r["age_band"] === band);

  it("keeps the source values (spot-checked by hand against koeln_bevoelkerung_2005-2012.csv)", () => {
    // 010.020.2005.000.010 … "00 - < 03",26984.0
    expect(get(2005, "000", "0-3")?.["count"]).toBe("26984");
    // 010.020.2012.609.010 Chorweiler "00 - < 03",497.0
    expect(get(2012, "609", "0-3")?.["count"]).toBe("497");
    // 010.020.2008.101.130 Altstadt/Süd "75 und älter",1956.0
    expect(get(2008, "101", "75+")?.["count"]).toBe("1956");
    // 010.020.2010.005.050 Nippes (Bezirk) "15 - < 18",2788.0
    expect(get(2010, "005", "15-18")?.["count"]).toBe("2788");
    // 010.020.2005.716.020 Finkenberg "03 - < 06",216.0
    expect(get(2005, "716", "3-6")?.["count"]).toBe("216");
  });

  it("has every area and band for 2005–2012 (no gaps) and the synthetic continuation 2013–2024", () => {
    const real = rows.filter((r) => Number(r["year"]) <= 2012);
    expect(real).toHaveLength(8 * 96 * 13);
    const years = [...new Set(rows.map((r) => Number(r["year"])))];
    expect(years).toEqual(Array.from({length: 20}, (_, i) => 2005 + i));
  });
});

describe("latent need pattern", () => {
  it("Bottrop: Batenbrock-Süd, Altstadt and Welheim are the top-3 in sgb2_u15 in every year", () => {
    const areas = dataAreas("bottrop");
    const name = new Map(areas.map((a) => [a.id, a.name]));
    const leaves = new Set(areas.filter((a) => a.level === "sozialraum").map((a) => a.id));
    const rows = dataCsv("bottrop", "indicators.csv").rows.filter((r) => r["indicator_id"] === "sgb2_u15" && leaves.has(r["area_id"] ?? ""));
    for (const y of YEARS) {
      // Altstadt consists of two Kommunalwahlbezirke (Altstadt-West, Altstadt-Ost): rank it as one area.
      const units = new Map<string, {num: number; den: number}>();
      for (const r of rows.filter((x) => x["year"] === String(y))) {
        const n = name.get(r["area_id"] ?? "") ?? "";
        const unit = n.startsWith("Altstadt-") ? "Altstadt" : n;
        const cell = units.get(unit) ?? {num: 0, den: 0};
        cell.num += Number(r["numerator"]);
        cell.den += Number(r["denominator"]);
        units.set(unit, cell);
      }
      expect(units.size).toBe(26);
      const ranked = [...units.entries()].sort((p, q) => q[1].num / q[1].den - p[1].num / p[1].den).map(([n]) => n);
      expect(new Set(ranked.slice(0, 3)), String(y)).toEqual(new Set(["Batenbrock-Süd", "Altstadt", "Welheim"]));
      // and both Altstadt parts rank above every other Sozialraum
      const leafRanked = rows
        .filter((r) => r["year"] === String(y))
        .sort((p, q) => Number(q["numerator"]) / Number(q["denominator"]) - Number(p["numerator"]) / Number(p["denominator"]))
        .map((r) => name.get(r["area_id"] ?? ""));
      expect(new Set(leafRanked.slice(0, 4)), String(y)).toEqual(new Set(["Batenbrock-Süd", "Welheim", "Altstadt-West", "Altstadt-Ost"]));
    }
  });

  it("Bochum: Süd and Südwest lowest, Mitte and Wattenscheid highest sgb2_u15", () => {
    const rows = dataCsv("bochum", "indicators.csv").rows.filter((r) => r["indicator_id"] === "sgb2_u15" && r["area_id"] !== "0");
    for (const y of YEARS) {
      const ranked = rows
        .filter((r) => r["year"] === String(y))
        .sort((p, q) => Number(q["numerator"]) / Number(q["denominator"]) - Number(p["numerator"]) / Number(p["denominator"]))
        .map((r) => r["area_id"]);
      expect(new Set(ranked.slice(0, 2))).toEqual(new Set(["1", "2"]));
      expect(new Set(ranked.slice(4))).toEqual(new Set(["5", "6"]));
    }
  });
});

describe("synthetic Kita coordinates", () => {
  for (const c of ["bottrop", "koeln"]) {
    it(`${c}: every Kita lies inside the polygon of its area`, () => {
      const gj = JSON.parse(readFileSync(join(DATA_DIR, c, "areas.geojson"), "utf8")) as {
        features: Feature<Polygon | MultiPolygon, {id: string}>[];
      };
      const byId = new Map(gj.features.map((f) => [f.properties.id, d3Winding(f)]));
      for (const r of dataCsv(c, "kitas.csv").rows.filter((k) => k["year"] === "2017")) {
        const f = byId.get(r["area_id"] ?? "");
        expect(f).toBeDefined();
        expect(geoContains(f!, fromUtm32(Number(r["x"]), Number(r["y"]))), r["kita_id"]).toBe(true);
      }
    });
  }
});
