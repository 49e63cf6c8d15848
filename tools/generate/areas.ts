/**
 * Area models of the three cities, built from the real geometry files, and
 * the static area files written into data/<city>/.
 */
import type {Feature, FeatureCollection} from "geojson";
import {
  BOCHUM_CITY_ID,
  BOCHUM_DISTRICTS,
  BOTTROP_CITY_ID,
  KOELN_CITY_ID,
  type CityId
} from "./cities.ts";
import {type AreaGeometry, type GeoCollection, type GeoFeature, REAL_FILES, RealData} from "./real.ts";

export interface AreaDef {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
  /** Source geometry (unchanged); undefined for Bochum. */
  feature?: GeoFeature;
  /** Extra properties copied into areas.geojson. */
  extra: Record<string, unknown>;
  source: string;
}

export interface CityModel {
  id: CityId;
  cityAreaId: string;
  /** All areas, top level first, in file order. */
  areas: AreaDef[];
  /** Areas of the lowest level. */
  leaves: AreaDef[];
}

export const SOURCE_BOCHUM_AREAS =
  "Stadt Bochum: Stadtbezirke 1–6 (Kennziffern wie in den Open-Data-Dateien, CC0)";
export const SOURCE_VG250 = "© GeoBasis-DE / BKG 2013 (Daten verändert), dl-de/by-2.0";
export const SOURCE_BOTTROP_GEO = "Stadt Bottrop, dl-de/zero-2.0, modified by B. Bleske";
export const SOURCE_KOELN = "Stadt Köln, CC-BY (KoelnAPI/data)";

export function leavesOf(areas: readonly AreaDef[]): AreaDef[] {
  const parents = new Set(areas.map((a) => a.parentId).filter((p): p is string => p !== null));
  return areas.filter((a) => !parents.has(a.id));
}

/** Ids of the leaves below (or equal to) an area. */
export function leafIdsBelow(model: CityModel, areaId: string): string[] {
  const children = new Map<string, string[]>();
  for (const a of model.areas) {
    if (a.parentId === null) continue;
    const list = children.get(a.parentId) ?? [];
    list.push(a.id);
    children.set(a.parentId, list);
  }
  const out: string[] = [];
  const walk = (id: string): void => {
    const c = children.get(id);
    if (!c || c.length === 0) out.push(id);
    else for (const k of c) walk(k);
  };
  walk(areaId);
  return out;
}

function outlineFeature(collection: GeoCollection, ags: string): GeoFeature {
  const f = collection.features.find((x) => x.properties?.["AGS"] === ags);
  if (!f) throw new Error(`outline for AGS ${ags} not found`);
  return f;
}

export function buildBochum(): CityModel {
  const areas: AreaDef[] = [
    {id: BOCHUM_CITY_ID, name: "Bochum", level: "stadt", parentId: null, extra: {}, source: SOURCE_BOCHUM_AREAS},
    ...BOCHUM_DISTRICTS.map((d) => ({
      id: d.id,
      name: d.name,
      level: "stadtbezirk",
      parentId: BOCHUM_CITY_ID,
      extra: {},
      source: SOURCE_BOCHUM_AREAS
    }))
  ];
  return {id: "bochum", cityAreaId: BOCHUM_CITY_ID, areas, leaves: leavesOf(areas)};
}

/** Bottrop ids: city "0", Stadtbezirke "SB1".."SB3", Sozialräume "WB01".."WB27" (Kommunalwahlbezirk number). */
export function bottropDistrictId(stadtbezirkId: number): string {
  return `SB${stadtbezirkId}`;
}
export function bottropSozialraumId(wahlbezirkNr: number): string {
  return `WB${String(wahlbezirkNr).padStart(2, "0")}`;
}

export function buildBottrop(real: RealData): CityModel {
  const outline = outlineFeature(real.geojson(REAL_FILES.outlines), "05512000");
  const districts = real.geojson(REAL_FILES.bottropStadtbezirke);
  const wahl = real.geojson(REAL_FILES.bottropWahlbezirke);
  const districtIdByName = new Map<string, string>();
  const areas: AreaDef[] = [
    {id: BOTTROP_CITY_ID, name: "Bottrop", level: "stadt", parentId: null, feature: outline, extra: {ags: "05512000"}, source: SOURCE_VG250}
  ];
  const sortedDistricts = [...districts.features].sort(
    (a, b) => Number(a.properties["stadtbezirk_id"]) - Number(b.properties["stadtbezirk_id"])
  );
  for (const f of sortedDistricts) {
    const id = bottropDistrictId(Number(f.properties["stadtbezirk_id"]));
    const name = String(f.properties["name"]);
    districtIdByName.set(name, id);
    areas.push({id, name, level: "stadtbezirk", parentId: BOTTROP_CITY_ID, feature: f, extra: {flaeche_km2: f.properties["flaeche_km2"]}, source: SOURCE_BOTTROP_GEO});
  }
  const sortedWahl = [...wahl.features].sort((a, b) => Number(a.properties["wahlbezirk_nr"]) - Number(b.properties["wahlbezirk_nr"]));
  for (const f of sortedWahl) {
    const nr = Number(f.properties["wahlbezirk_nr"]);
    const parent = districtIdByName.get(String(f.properties["stadtbezirk"]));
    if (!parent) throw new Error(`Bottrop Wahlbezirk ${nr}: unknown Stadtbezirk ${String(f.properties["stadtbezirk"])}`);
    areas.push({
      id: bottropSozialraumId(nr),
      name: String(f.properties["name"]),
      level: "sozialraum",
      parentId: parent,
      feature: f,
      extra: {kommunalwahlbezirk_nr: nr, flaeche_km2: f.properties["flaeche_km2"]},
      source: SOURCE_BOTTROP_GEO
    });
  }
  return {id: "bottrop", cityAreaId: BOTTROP_CITY_ID, areas, leaves: leavesOf(areas)};
}

/** Köln ids as in the population file: city "000", Stadtbezirke "001".."009", Stadtteile "101".."909". */
export function buildKoeln(real: RealData): CityModel {
  const nrw = real.geojson(REAL_FILES.nrwGemeinden);
  const outline = outlineFeature(nrw, "05315000");
  const cityFeature: GeoFeature = {
    type: "Feature",
    properties: {AGS: "05315000", GEN: outline.properties["GEN"], BEZ: outline.properties["BEZ"]},
    geometry: outline.geometry
  };
  const districts = real.geojson(REAL_FILES.koelnStadtbezirke);
  const parts = real.geojson(REAL_FILES.koelnStadtteile);
  const areas: AreaDef[] = [
    {id: KOELN_CITY_ID, name: "Köln", level: "stadt", parentId: null, feature: cityFeature, extra: {ags: "05315000"}, source: SOURCE_VG250}
  ];
  const sortedDistricts = [...districts.features].sort((a, b) => Number(a.properties["id"]) - Number(b.properties["id"]));
  for (const f of sortedDistricts) {
    const id = String(f.properties["id"]).padStart(3, "0");
    areas.push({id, name: String(f.properties["name"]), level: "stadtbezirk", parentId: KOELN_CITY_ID, feature: f, extra: {flaeche_km2: f.properties["flaeche_km2"]}, source: SOURCE_KOELN});
  }
  const sortedParts = [...parts.features].sort((a, b) => Number(a.properties["id"]) - Number(b.properties["id"]));
  for (const f of sortedParts) {
    const id = String(f.properties["id"]);
    if (!/^[1-9]\d\d$/.test(id)) throw new Error(`Köln Stadtteil id ${id} unexpected`);
    areas.push({
      id,
      name: String(f.properties["name"]),
      level: "stadtteil",
      parentId: `00${id[0]}`,
      feature: f,
      extra: {flaeche_km2: f.properties["flaeche_km2"]},
      source: SOURCE_KOELN
    });
  }
  return {id: "koeln", cityAreaId: KOELN_CITY_ID, areas, leaves: leavesOf(areas)};
}

export function buildModel(id: CityId, real: RealData): CityModel {
  switch (id) {
    case "bochum":
      return buildBochum();
    case "bottrop":
      return buildBottrop(real);
    case "koeln":
      return buildKoeln(real);
  }
}

/** areas.geojson: one feature per area on every level, source geometry unchanged. */
export function areasGeojson(model: CityModel): string {
  const features: Feature<AreaGeometry | null, Record<string, unknown>>[] = model.areas.map((a) => ({
    type: "Feature",
    properties: {id: a.id, name: a.name, level: a.level, parent_id: a.parentId, ...a.extra, source: a.source},
    geometry: a.feature ? a.feature.geometry : null
  }));
  const fc: FeatureCollection<AreaGeometry | null, Record<string, unknown>> & {name: string; crs: unknown} = {
    type: "FeatureCollection",
    name: `${model.id}_areas`,
    crs: {type: "name", properties: {name: "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    features
  };
  return JSON.stringify(fc) + "\n";
}

/** Bochum outline.geojson: the real city outline for map context (VG250). */
export function bochumOutline(real: RealData): string {
  const src = real.geojson(REAL_FILES.outlines);
  const f = outlineFeature(src, "05911000");
  const out = {
    type: "FeatureCollection",
    name: "bochum_outline",
    crs: {type: "name", properties: {name: "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    source: src.source ?? "© GeoBasis-DE / BKG 2013 (Daten verändert)",
    licence: "dl-de/by-2.0",
    features: [
      {
        type: "Feature",
        properties: {id: BOCHUM_CITY_ID, name: "Bochum", AGS: f.properties["AGS"], GEN: f.properties["GEN"], BEZ: f.properties["BEZ"]},
        geometry: f.geometry
      }
    ]
  };
  return JSON.stringify(out) + "\n";
}
