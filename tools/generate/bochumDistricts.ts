/**
 * Stadtbezirk of each real Bochum Kita, derived from real data.
 *
 * Bochum publishes no district polygons (see the real-data README), and the
 * Kita file has no district field. The only real file that carries the
 * Stadtbezirk is the list of sports grounds (column `Bezirk` 1–6), which has
 * street addresses but no coordinates and no postcode. The rule:
 *
 * 1. Anchors. Each sports ground whose address has a house number is located
 *    at the POI of the same open-data repository (schools, playgrounds, Kitas)
 *    on the same street (normalised name) with the nearest house number (POIs
 *    without a house number rank last). Grounds without a house number are
 *    skipped (one street name occurs in two Stadtbezirke). The
 *    anchor carries that POI's coordinates and postcode and the ground's Bezirk.
 * 2. Kitas. A Kita takes the Bezirk of the anchors in its own postcode area:
 *    if all anchors of that postcode agree, their Bezirk; otherwise the
 *    weighted vote of the (up to) three nearest anchors with the same postcode,
 *    weight = quality / max(distance, 250 m), where quality = 1 / (1 + Δ/20)
 *    for a house-number difference Δ between ground and POI (0.5 for a POI
 *    without house number), because a long street can cross a district border.
 * 3. Postcodes without any anchor (44787 Innenstadt, 44795 Weitmar) use a
 *    fixed table and are marked as such.
 *
 * The result is an approximation; the `area_source` column of kitas.csv says
 * which step assigned each Kita.
 */
import type {BochumPoi, SportsFacility} from "./real.ts";

export interface Anchor {
  address: string;
  bezirk: string;
  x: number;
  y: number;
  plz: string;
  poiName: string;
  /** Match quality: 1 for the same house number, falling with the difference; 0.5 for a street-only match. */
  quality: number;
}

export type AssignmentMethod = "plz_eindeutig" | "plz_naechste_anker" | "plz_tabelle";

export interface KitaDistrict {
  areaId: string;
  method: AssignmentMethod;
}

/** Postcodes without an anchor: assignment by the Stadtteil the postcode area covers. */
export const PLZ_FALLBACK: Readonly<Record<string, {bezirk: string; note: string}>> = {
  "44787": {bezirk: "1", note: "Innenstadt"},
  "44795": {bezirk: "6", note: "Weitmar"}
};

export const AREA_SOURCE_TEXT: Readonly<Record<AssignmentMethod, string>> = {
  plz_eindeutig: "abgeleitet: alle Sportstätten-Anker der PLZ im selben Stadtbezirk",
  plz_naechste_anker: "abgeleitet: Mehrheit der nächsten Sportstätten-Anker derselben PLZ",
  plz_tabelle: "abgeleitet: PLZ ohne Anker, feste Zuordnung PLZ→Stadtbezirk"
};

export function normaliseStreet(street: string): string {
  return street
    .toLowerCase()
    .replace(/(straße|strasse|str\.?)(\s|$)/g, "str$2")
    .replace(/[\s.\-]/g, "");
}

/** Street name and first house number of an address such as "Am Hausacker 43 a". */
export function splitAddress(address: string): {street: string; number: number} | undefined {
  const m = /^(.*?)\s*(\d+)/.exec(address.trim());
  if (!m || !m[1]) return undefined;
  return {street: normaliseStreet(m[1]), number: Number(m[2])};
}

export function buildAnchors(sports: readonly SportsFacility[], pois: readonly BochumPoi[]): Anchor[] {
  // POIs without a house number (many playgrounds) still locate a street;
  // they rank behind every POI with a number.
  const byStreet = new Map<string, {poi: BochumPoi; number: number}[]>();
  for (const poi of pois) {
    const a = splitAddress(poi.street);
    const street = a ? a.street : normaliseStreet(poi.street);
    if (!street) continue;
    const list = byStreet.get(street) ?? [];
    list.push({poi, number: a ? a.number : Number.POSITIVE_INFINITY});
    byStreet.set(street, list);
  }
  const anchors = new Map<string, Anchor>();
  for (const s of sports) {
    const a = splitAddress(s.address);
    if (!a) continue;
    const key = `${a.street} ${a.number}`;
    if (anchors.has(key)) continue;
    const candidates = byStreet.get(a.street);
    if (!candidates || candidates.length === 0) continue;
    let best = candidates[0]!;
    for (const c of candidates) {
      const d = Math.abs(c.number - a.number);
      const bestD = Math.abs(best.number - a.number);
      if (d < bestD || (d === bestD && c.poi.poi_id < best.poi.poi_id)) best = c;
    }
    const diff = Math.abs(best.number - a.number);
    const quality = Number.isFinite(diff) ? 1 / (1 + diff / 20) : 0.5;
    anchors.set(key, {address: s.address, bezirk: s.bezirk, x: best.poi.x, y: best.poi.y, plz: best.poi.plz, poiName: best.poi.name, quality});
  }
  return [...anchors.values()];
}

export function assignDistrict(kita: {x: number; y: number; plz: string}, anchors: readonly Anchor[]): KitaDistrict {
  const local = anchors.filter((a) => a.plz === kita.plz);
  if (local.length === 0) {
    const fb = PLZ_FALLBACK[kita.plz];
    if (!fb) throw new Error(`Bochum Kita with postcode ${kita.plz}: no anchor and no fallback`);
    return {areaId: fb.bezirk, method: "plz_tabelle"};
  }
  const bezirke = new Set(local.map((a) => a.bezirk));
  if (bezirke.size === 1) return {areaId: local[0]!.bezirk, method: "plz_eindeutig"};
  const nearest = local
    .map((a) => ({a, d: Math.hypot(a.x - kita.x, a.y - kita.y)}))
    .sort((p, q) => p.d - q.d || p.a.address.localeCompare(q.a.address))
    .slice(0, 3);
  const votes = new Map<string, number>();
  for (const {a, d} of nearest) votes.set(a.bezirk, (votes.get(a.bezirk) ?? 0) + a.quality / Math.max(d, 250));
  const winner = [...votes.entries()].sort((p, q) => q[1] - p[1] || p[0].localeCompare(q[0]))[0]!;
  return {areaId: winner[0], method: "plz_naechste_anker"};
}
