/**
 * kitas.csv: Bochum's real Kita locations with synthetic places and flags;
 * Bottrop and Köln fully synthetic Kitas placed inside their area polygons.
 * Places follow an area-level coverage target (U3 rising over the years, lower
 * where need is high; Ü3 near full coverage) split among the area's Kitas by
 * a fixed size weight per Kita.
 */
import {type AreaDef, type CityModel} from "./areas.ts";
import {type Anchor, AREA_SOURCE_TEXT, assignDistrict} from "./bochumDistricts.ts";
import {SYNTHETIC, YEARS} from "./cities.ts";
import type {Row} from "./csv.ts";
import {randomPointInArea} from "./geo.ts";
import type {NeedMap} from "./need.ts";
import type {Population} from "./population.ts";
import type {BochumPoi} from "./real.ts";
import {Rng, apportion, invLogit} from "./rng.ts";

export const KITA_COLUMNS = [
  "year", "kita_id", "name", "provider_type", "area_id", "x", "y",
  "places_u3", "places_ue3", "occupied_u3", "occupied_ue3", "familienzentrum", "pluskita",
  "source", "location_source", "area_source", "category_original"
] as const;

export type ProviderType = "kommunal" | "freie Träger" | "evangelisch" | "katholisch" | "Elterninitiative" | "sonstige";

export const BOCHUM_KITA_SOURCE =
  "Stadt Bochum Open Data, POI Kindertagesstätten (CC0 1.0), Abruf 2023-10-17";

/** Bochum POI category → provider type of the contract. */
export const BOCHUM_CATEGORY_PROVIDER: Readonly<Record<string, ProviderType>> = {
  "Kommunale Kindertagesstätten": "kommunal",
  "Ev. Kindertagesstätten": "evangelisch",
  "Kath. Kindertagesstätten": "katholisch",
  "Kitas von Vereinen und Elterninitiativen": "Elterninitiative",
  "Kindertagesstätten freie Wohlfahrtsverbände": "freie Träger",
  "Waldorf Kindertagesstätten": "freie Träger",
  "Betriebskindertagesstätten": "sonstige",
  "Heilpädagogische Tagesstätten": "sonstige",
  "Sonstige Kindertagesstätten": "sonstige"
};

/** When a POI carries two categories, the more specific provider type wins (everything beats "sonstige"). */
const PROVIDER_PRECEDENCE: readonly ProviderType[] = ["kommunal", "evangelisch", "katholisch", "Elterninitiative", "freie Träger", "sonstige"];

export interface KitaMaster {
  id: string;
  name: string;
  provider: ProviderType;
  areaId: string;
  x: number;
  y: number;
  locationSource: string;
  areaSource: string;
  categoryOriginal: string;
  /** Relative size; the share of U3 among its places. */
  weightU3: number;
  weightUe3: number;
  /** First year as Familienzentrum (Infinity: never). */
  familienzentrumFrom: number;
  pluskita: boolean;
}

/** Deduplicate the Bochum POIs by poi_id (a POI with two categories appears twice) and derive the district. */
export function bochumKitaMasters(pois: readonly BochumPoi[], anchors: readonly Anchor[], need: NeedMap, seed: number | string): KitaMaster[] {
  const byId = new Map<string, BochumPoi[]>();
  for (const p of pois) {
    const list = byId.get(p.poi_id) ?? [];
    list.push(p);
    byId.set(p.poi_id, list);
  }
  const rng = Rng.derive(seed, "kitas:bochum:master");
  const out: KitaMaster[] = [];
  for (const [id, list] of byId) {
    const first = list[0]!;
    const categories = [...new Set(list.map((p) => p.category))];
    const providers = categories.map((c) => {
      const t = BOCHUM_CATEGORY_PROVIDER[c];
      if (!t) throw new Error(`unknown Bochum Kita category ${c}`);
      return t;
    });
    const provider = PROVIDER_PRECEDENCE.find((t) => providers.includes(t)) ?? "sonstige";
    const district = assignDistrict(first, anchors);
    const n = need.get(district.areaId) ?? 0;
    const special = categories.includes("Heilpädagogische Tagesstätten") || /Großkindertagespflege/.test(first.name);
    out.push({
      id,
      name: first.name,
      provider,
      areaId: district.areaId,
      x: first.x,
      y: first.y,
      locationSource: BOCHUM_KITA_SOURCE,
      areaSource: AREA_SOURCE_TEXT[district.method],
      categoryOriginal: categories.join(" | "),
      ...sizeWeights(rng, special),
      // Familienzentrum: taken from the real name (2023), assumed for all years.
      familienzentrumFrom: /Familienzentrum/i.test(first.name) ? YEARS[0]! : Number.POSITIVE_INFINITY,
      pluskita: rng.bernoulli(invLogit(-1.5 + 1.1 * n))
    });
  }
  return out;
}

function sizeWeights(rng: Rng, small: boolean): {weightU3: number; weightUe3: number} {
  const size = Math.exp(rng.normal(0, 0.35)) * (small ? 0.35 : 1);
  const noU3 = rng.bernoulli(0.08);
  const u3Share = noU3 ? 0 : Math.min(0.6, Math.max(0.12, rng.normal(0.3, 0.08)));
  return {weightU3: size * u3Share, weightUe3: size * (1 - u3Share)};
}

const NAME_POOL = [
  "Regenbogen", "Sonnenschein", "Pusteblume", "Arche Noah", "Wirbelwind", "Löwenzahn", "Schatzkiste", "Kunterbunt",
  "Sternschnuppe", "Zwergenland", "Spatzennest", "Kleine Strolche", "Farbklecks", "Glühwürmchen", "Rappelkiste",
  "Marienkäfer", "Villa Sonnenblume", "Baumhaus", "Traumland", "Kinderinsel", "Purzelbaum", "Wolkenburg", "Wiesenhüpfer"
];
const SAINTS = ["St. Marien", "St. Josef", "St. Michael", "St. Elisabeth", "St. Antonius", "Heilig Kreuz", "St. Barbara", "St. Martin", "St. Franziskus", "St. Hedwig"];
const EV_NAMES = ["Arche", "Senfkorn", "Regenbogen", "Kinderhaus am Kirchplatz", "Lukas", "Paulus", "Friedenskirche", "Kreuzkirche"];
const FREE_PREFIX = ["AWO-Kita", "DRK-Kita", "Paritätische Kita", "ASB-Kita", "Kita der Lebenshilfe"];

function syntheticName(rng: Rng, provider: ProviderType, area: AreaDef): string {
  switch (provider) {
    case "kommunal":
      return `Städt. Kita ${rng.pick(NAME_POOL)} ${area.name}`;
    case "katholisch":
      return `Kath. Kita ${rng.pick(SAINTS)} ${area.name}`;
    case "evangelisch":
      return `Ev. Kita ${rng.pick(EV_NAMES)} ${area.name}`;
    case "freie Träger":
      return `${rng.pick(FREE_PREFIX)} ${rng.pick(NAME_POOL)} ${area.name}`;
    case "Elterninitiative":
      return `Elterninitiative ${rng.pick(NAME_POOL)} ${area.name} e.V.`;
    case "sonstige":
      return `Kita ${rng.pick(NAME_POOL)} ${area.name}`;
  }
}

export const PROVIDER_MIX: Readonly<Record<string, readonly [ProviderType, number][]>> = {
  bottrop: [["kommunal", 0.2], ["freie Träger", 0.25], ["katholisch", 0.33], ["evangelisch", 0.14], ["Elterninitiative", 0.06], ["sonstige", 0.02]],
  koeln: [["kommunal", 0.26], ["freie Träger", 0.3], ["katholisch", 0.17], ["evangelisch", 0.1], ["Elterninitiative", 0.15], ["sonstige", 0.02]]
};

/** Target numbers of synthetic Kitas. */
export const SYNTHETIC_KITA_TARGET: Readonly<Record<string, number>> = {bottrop: 70, koeln: 650};

/** Synthetic Kitas for Bottrop / Köln, about one per 90 children under 6, points inside the leaf polygon. */
export function syntheticKitaMasters(model: CityModel, need: NeedMap, pop: Population, seed: number | string): KitaMaster[] {
  const target = SYNTHETIC_KITA_TARGET[model.id];
  const mix = PROVIDER_MIX[model.id];
  if (!target || !mix) throw new Error(`no synthetic Kita settings for ${model.id}`);
  const y0 = YEARS[0]!;
  const under6 = model.leaves.map((l) => pop.sum(y0, l.id, ["0-3", "3-6"]));
  const total = under6.reduce((a, b) => a + b, 0);
  const prefix = model.id === "koeln" ? "K" : "BOT";
  const width = model.id === "koeln" ? 4 : 3;
  const out: KitaMaster[] = [];
  const usedNames = new Set<string>();
  let counter = 0;
  model.leaves.forEach((leaf, i) => {
    const rng = Rng.derive(seed, `kitas:${model.id}:${leaf.id}`);
    if (!leaf.feature) throw new Error(`area ${leaf.id} has no geometry`);
    const count = Math.max(1, Math.round(((under6[i] ?? 0) / total) * target));
    const n = need.get(leaf.id) ?? 0;
    for (let k = 0; k < count; k++) {
      counter++;
      const provider = mix[rng.weightedIndex(mix.map((m) => m[1]))]![0];
      let name = syntheticName(rng, provider, leaf);
      for (let suffix = 2; usedNames.has(name); suffix++) name = `${syntheticName(rng, provider, leaf)} ${suffix}`;
      usedNames.add(name);
      const [x, y] = randomPointInArea(leaf.feature, rng);
      const fz = rng.bernoulli(0.24 + (n > 0.5 ? 0.06 : 0));
      out.push({
        id: `${prefix}-${String(counter).padStart(width, "0")}`,
        name,
        provider,
        areaId: leaf.id,
        x,
        y,
        locationSource: SYNTHETIC,
        areaSource: "synthetisch (Punkt im Gebietspolygon erzeugt)",
        categoryOriginal: "",
        ...sizeWeights(rng, provider === "Elterninitiative"),
        familienzentrumFrom: fz ? (rng.bernoulli(0.65) ? y0 : rng.int(y0 + 1, YEARS[YEARS.length - 1]! - 1)) : Number.POSITIVE_INFINITY,
        pluskita: rng.bernoulli(invLogit(-1.5 + 1.1 * n))
      });
    }
  });
  return out;
}

/** Versorgungsquote targets of the city (places per child), by year. */
function coverage(year: number): {u3: number; ue3: number} {
  const t = (year - YEARS[0]!) / (YEARS[YEARS.length - 1]! - YEARS[0]!);
  return {u3: 0.36 + 0.08 * t, ue3: 0.92 + 0.04 * t};
}

export function kitaRows(model: CityModel, masters: readonly KitaMaster[], need: NeedMap, pop: Population, seed: number | string): Row[] {
  const rng = Rng.derive(seed, `kitas:${model.id}:places`);
  const byArea = new Map<string, KitaMaster[]>();
  for (const m of masters) {
    const list = byArea.get(m.areaId) ?? [];
    list.push(m);
    byArea.set(m.areaId, list);
  }
  const places = new Map<string, {u3: number; ue3: number}>();
  for (const leaf of model.leaves) {
    const list = byArea.get(leaf.id) ?? [];
    if (list.length === 0) continue;
    const n = need.get(leaf.id) ?? 0;
    const areaU3 = Math.exp(rng.normal(0, 0.05));
    const areaUe3 = 1 + rng.normal(0, 0.015);
    for (const year of YEARS) {
      const c = coverage(year);
      const u3 = Math.round(c.u3 * (1 - 0.08 * n) * areaU3 * pop.get(year, leaf.id, "0-3"));
      const ue3 = Math.round(Math.min(1.02, c.ue3 * (1 - 0.02 * n) * areaUe3) * pop.get(year, leaf.id, "3-6"));
      const pu3 = apportion(Math.max(0, u3), list.map((m) => m.weightU3));
      const pue3 = apportion(Math.max(0, ue3), list.map((m) => m.weightUe3));
      list.forEach((m, i) => places.set(`${year}|${m.id}`, {u3: pu3[i] ?? 0, ue3: pue3[i] ?? 0}));
    }
  }
  const rows: Row[] = [];
  for (const year of YEARS) {
    for (const m of masters) {
      const p = places.get(`${year}|${m.id}`);
      if (!p) throw new Error(`no places for Kita ${m.id} in ${year}`);
      const occU3 = Math.round(p.u3 * Math.min(1, rng.uniform(0.9, 1.02)));
      const occUe3 = Math.round(p.ue3 * Math.min(1, rng.uniform(0.92, 1.02)));
      rows.push({
        year,
        kita_id: m.id,
        name: m.name,
        provider_type: m.provider,
        area_id: m.areaId,
        x: m.x,
        y: m.y,
        places_u3: p.u3,
        places_ue3: p.ue3,
        occupied_u3: occU3,
        occupied_ue3: occUe3,
        familienzentrum: year >= m.familienzentrumFrom ? "ja" : "nein",
        pluskita: m.pluskita ? "ja" : "nein",
        source: SYNTHETIC,
        location_source: m.locationSource,
        area_source: m.areaSource,
        category_original: m.categoryOriginal
      });
    }
  }
  return rows;
}
