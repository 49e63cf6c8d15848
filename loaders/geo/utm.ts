/**
 * ETRS89 / UTM zone 32N (EPSG:25832) → geographic coordinates (lon/lat, degrees).
 * Inverse transverse Mercator after Krüger's series to third order (accuracy far
 * below a millimetre inside the zone), on the GRS80 ellipsoid. ETRS89 and WGS84
 * differ by well under a metre in Germany, which is irrelevant for district maps.
 */
const A = 6378137;
const F = 1 / 298.257222101;
const K0 = 0.9996;
const FALSE_EASTING = 500000;
const LON0 = (9 * Math.PI) / 180;

const n = F / (2 - F);
const AA = (A / (1 + n)) * (1 + (n * n) / 4 + (n ** 4) / 64);
const beta = [n / 2 - (2 * n * n) / 3 + (37 * n ** 3) / 96, (n * n) / 48 + (n ** 3) / 15, (17 * n ** 3) / 480];
const delta = [2 * n - (2 * n * n) / 3 - 2 * n ** 3, (7 * n * n) / 3 - (8 * n ** 3) / 5, (56 * n ** 3) / 15];

/** Easting/northing in metres (zone 32N, without zone prefix) → [lon, lat] in degrees. */
export function utm32ToWgs84(easting: number, northing: number): [number, number] {
  const xi = northing / (K0 * AA);
  const eta = (easting - FALSE_EASTING) / (K0 * AA);
  let xiP = xi;
  let etaP = eta;
  for (let j = 1; j <= 3; j++) {
    const b = beta[j - 1]!;
    xiP -= b * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    etaP -= b * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
  let phi = chi;
  for (let j = 1; j <= 3; j++) phi += delta[j - 1]! * Math.sin(2 * j * chi);
  const lambda = LON0 + Math.atan2(Math.sinh(etaP), Math.cos(xiP));
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}

export type CoordinateSystem = "wgs84" | "utm32";

/** Strips a leading zone number "32" from 8-digit eastings as some GIS exports write them (32371234 → 371234). */
export function stripZonePrefix(easting: number): number {
  return easting >= 32_000_000 && easting < 33_000_000 ? easting - 32_000_000 : easting;
}

/**
 * Decides the coordinate system of a set of positions from their ranges:
 * lon/lat lie within ±180/±90; UTM 32N eastings lie in 100 000–900 000 m
 * (optionally with zone prefix 32) and northings in 5 000 000–6 500 000 m for Germany.
 * Returns undefined when the positions fit neither.
 */
export function detectCoordinateSystem(positions: Iterable<readonly number[]>): CoordinateSystem | undefined {
  let wgs = true;
  let utm = true;
  let count = 0;
  for (const p of positions) {
    const x = p[0];
    const y = p[1];
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    count++;
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) wgs = false;
    const e = stripZonePrefix(x);
    if (!(e >= 100_000 && e <= 900_000 && y >= 5_000_000 && y <= 6_500_000)) utm = false;
    if (!wgs && !utm) return undefined;
  }
  if (count === 0) return undefined;
  return wgs ? "wgs84" : "utm32";
}

/** Reads a GeoJSON `crs` member, if present: "utm32", "wgs84" or undefined (not given / unknown). */
export function crsFromGeoJSON(crs: unknown): CoordinateSystem | "unknown" | undefined {
  if (typeof crs !== "object" || crs === null) return undefined;
  const name = String((crs as {properties?: {name?: unknown}}).properties?.name ?? "");
  if (/25832|etrs89.*utm.*32/i.test(name)) return "utm32";
  if (/crs84|4326|wgs ?84|4258/i.test(name)) return "wgs84";
  return "unknown";
}
