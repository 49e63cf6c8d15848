/**
 * Geometry helpers for the generator: the forward ETRS89 / UTM zone 32N (EPSG:25832)
 * projection (the inverse is loaders/geo/utm.ts) and point sampling inside area polygons with d3-geo.
 *
 * The projection uses the Krüger series (third order in n) on the GRS80
 * ellipsoid; it agrees with PROJ to well below a millimetre inside the zone.
 */
import {geoArea, geoBounds, geoContains} from "d3";
import type {Feature, GeoJsonProperties, MultiPolygon, Polygon, Position} from "geojson";
import type {Rng} from "./rng.ts";
import {utm32ToWgs84} from "../../loaders/geo/utm.ts";

const A_AXIS = 6378137;
const FLATTENING = 1 / 298.257222101;
const K0 = 0.9996;
const FALSE_EASTING = 500000;
const LON0 = (9 * Math.PI) / 180;

const N = FLATTENING / (2 - FLATTENING);
const N2 = N * N;
const N3 = N2 * N;
const RECT_A = (A_AXIS / (1 + N)) * (1 + N2 / 4 + (N2 * N2) / 64);
const ALPHA = [N / 2 - (2 * N2) / 3 + (5 * N3) / 16, (13 * N2) / 48 - (3 * N3) / 5, (61 * N3) / 240];
const E2N = (2 * Math.sqrt(N)) / (1 + N);

/** WGS84/ETRS89 lon/lat (degrees) → EPSG:25832 easting/northing (metres). */
export function toUtm32(lon: number, lat: number): [number, number] {
  const phi = (lat * Math.PI) / 180;
  const lam = (lon * Math.PI) / 180 - LON0;
  const sinPhi = Math.sin(phi);
  const t = Math.sinh(Math.atanh(sinPhi) - E2N * Math.atanh(E2N * sinPhi));
  const xiP = Math.atan2(t, Math.cos(lam));
  const etaP = Math.atanh(Math.sin(lam) / Math.sqrt(1 + t * t));
  let xi = xiP;
  let eta = etaP;
  for (let j = 1; j <= 3; j++) {
    const a = ALPHA[j - 1]!;
    xi += a * Math.sin(2 * j * xiP) * Math.cosh(2 * j * etaP);
    eta += a * Math.cos(2 * j * xiP) * Math.sinh(2 * j * etaP);
  }
  return [FALSE_EASTING + K0 * RECT_A * eta, K0 * RECT_A * xi];
}

/** EPSG:25832 easting/northing (metres) → lon/lat (degrees): the pipeline's own inverse projection. */
export const fromUtm32 = utm32ToWgs84;

type AreaGeometry = Polygon | MultiPolygon;

function reverseRings(rings: Position[][]): Position[][] {
  return rings.map((ring) => [...ring].reverse());
}

/**
 * A copy of the feature whose rings follow d3-geo's spherical winding
 * (exterior clockwise). GeoJSON files often use the RFC 7946 order (exterior
 * counter-clockwise), which d3 reads as "the whole globe minus the polygon".
 * The copy is used for computations only; files keep the source geometry.
 */
export function d3Winding<P extends GeoJsonProperties>(feature: Feature<AreaGeometry, P>): Feature<AreaGeometry, P> {
  if (geoArea(feature) <= 2 * Math.PI) return feature;
  const g = feature.geometry;
  const geometry: AreaGeometry =
    g.type === "Polygon"
      ? {type: "Polygon", coordinates: reverseRings(g.coordinates)}
      : {type: "MultiPolygon", coordinates: g.coordinates.map(reverseRings)};
  return {...feature, geometry};
}

/**
 * A random point inside the polygon, as integer EPSG:25832 metres. The point is
 * drawn uniformly in the bounding box, accepted with d3-geo `geoContains`, and
 * accepted only if the rounded metre coordinates, projected back, still lie
 * inside (so that a loader doing point-in-polygon finds the same area).
 */
export function randomPointInArea<P extends GeoJsonProperties>(feature: Feature<AreaGeometry, P>, rng: Rng): [number, number] {
  const f = d3Winding(feature);
  const [[west, south], [east, north]] = geoBounds(f);
  for (let attempt = 0; attempt < 20000; attempt++) {
    const lon = rng.uniform(west, east);
    const lat = rng.uniform(south, north);
    if (!geoContains(f, [lon, lat])) continue;
    const [x, y] = toUtm32(lon, lat);
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (geoContains(f, fromUtm32(xi, yi))) return [xi, yi];
  }
  throw new Error("no point found inside area polygon");
}

/** Whether a EPSG:25832 point lies inside the feature (d3-geo, winding-safe). */
export function containsUtm<P extends GeoJsonProperties>(feature: Feature<AreaGeometry, P>, x: number, y: number): boolean {
  return geoContains(d3Winding(feature), fromUtm32(x, y));
}
