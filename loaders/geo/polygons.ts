/** Planar polygon helpers on lon/lat coordinates: ring checks, winding for d3-geo, point in polygon. */
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export interface PolygonGeometry {
  type: "Polygon" | "MultiPolygon";
  coordinates: PolygonCoords | PolygonCoords[];
}

export function polygonsOf(geometry: PolygonGeometry): PolygonCoords[] {
  return geometry.type === "Polygon" ? [geometry.coordinates as PolygonCoords] : (geometry.coordinates as PolygonCoords[]);
}

/** Twice the signed shoelace area (x = lon, y = lat): positive for counterclockwise rings. */
export function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/** A ring is valid when it has at least four positions and its first and last position are equal. */
export function ringProblem(ring: unknown): string | undefined {
  if (!Array.isArray(ring)) return "Ring ist keine Liste von Koordinaten";
  if (ring.length < 4) return `Ring hat nur ${ring.length} Punkte (mindestens 4 mit Schlusspunkt)`;
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return "Ring enthält eine ungültige Koordinate";
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return "Ring ist nicht geschlossen (erster und letzter Punkt verschieden)";
  return undefined;
}

/**
 * Orients rings the way d3-geo (and therefore Observable Plot) expects them:
 * exterior rings clockwise, holes counterclockwise. RFC 7946 GeoJSON uses the
 * opposite order; d3 would otherwise draw the whole globe minus the district.
 */
export function orientForD3(polygon: PolygonCoords): PolygonCoords {
  return polygon.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? ring : [...ring].reverse();
  });
}

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd point in polygon (exterior minus holes), for Polygon and MultiPolygon. */
export function containsPoint(geometry: PolygonGeometry, point: Position): boolean {
  const [x, y] = point;
  return polygonsOf(geometry).some((polygon) => {
    const [outer, ...holes] = polygon;
    return outer !== undefined && inRing(x, y, outer) && !holes.some((hole) => inRing(x, y, hole));
  });
}
