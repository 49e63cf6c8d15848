import {describe, expect, it} from "vitest";
import {crsFromGeoJSON, detectCoordinateSystem, stripZonePrefix, utm32ToWgs84} from "../../loaders/geo/utm.ts";
import {containsPoint, orientForD3, ringProblem, signedArea} from "../../loaders/geo/polygons.ts";

describe("utm32ToWgs84", () => {
  // Reference pairs: the real Bochum Kita POIs (StadtBochum/OpenData, CC0) with their
  // EPSG:25832 coordinates and the WGS84 coordinates computed by pyproj (shared/data/real/bochum/*_wgs84.geojson,
  // rounded there to 6 decimals, i.e. ±0.06 m in latitude).
  const pairs: [number, number, number, number][] = [
    [379123, 5702951, 7.259857, 51.464804], // Villa Luna
    [383872, 5702663, 7.328286, 51.46321], // ASB-Kita In der Schornau
    [374940, 5700977, 7.200367, 51.446154], // JuS Kita Am Kuhlenkamp
    [372484, 5698380, 7.16598, 51.422267] // St. Benedikt
  ];
  for (const [e, n, lon, lat] of pairs) {
    it(`converts ${e}/${n} to ${lon}/${lat}`, () => {
      const [x, y] = utm32ToWgs84(e, n);
      expect(Math.abs(x - lon)).toBeLessThan(1e-6);
      expect(Math.abs(y - lat)).toBeLessThan(1e-6);
    });
  }
  it("maps the central meridian's false easting to 9° E", () => {
    expect(utm32ToWgs84(500000, 5700000)[0]).toBeCloseTo(9, 12);
  });
});

describe("coordinate system detection", () => {
  it("recognises lon/lat, UTM 32N and zone-prefixed eastings", () => {
    expect(detectCoordinateSystem([[7.2, 51.4], [7.3, 51.5]])).toBe("wgs84");
    expect(detectCoordinateSystem([[379123, 5702951]])).toBe("utm32");
    expect(detectCoordinateSystem([[32379123, 5702951]])).toBe("utm32");
    expect(stripZonePrefix(32379123)).toBe(379123);
    expect(detectCoordinateSystem([[3500000, 5700000]])).toBeUndefined(); // Gauß-Krüger: neither
    expect(detectCoordinateSystem([[7.2, 51.4], [379123, 5702951]])).toBeUndefined(); // mixed
  });
  it("reads the crs member", () => {
    expect(crsFromGeoJSON({type: "name", properties: {name: "urn:ogc:def:crs:EPSG::25832"}})).toBe("utm32");
    expect(crsFromGeoJSON({type: "name", properties: {name: "urn:ogc:def:crs:OGC:1.3:CRS84"}})).toBe("wgs84");
    expect(crsFromGeoJSON({type: "name", properties: {name: "EPSG:31466"}})).toBe("unknown");
    expect(crsFromGeoJSON(undefined)).toBeUndefined();
  });
});

describe("polygons", () => {
  const ccw: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
  it("computes twice the signed area", () => {
    expect(signedArea(ccw)).toBe(8); // 2 × 2 square, counterclockwise → +2·4
  });
  it("orients exterior rings clockwise and holes counterclockwise for d3", () => {
    const hole: [number, number][] = [[0.5, 0.5], [0.5, 1], [1, 1], [1, 0.5], [0.5, 0.5]]; // clockwise
    const [outer, inner] = orientForD3([ccw, hole]);
    expect(signedArea(outer!)).toBe(-8);
    expect(signedArea(inner!)).toBeGreaterThan(0);
  });
  it("tests points against exterior and holes", () => {
    const geometry = {type: "Polygon" as const, coordinates: [ccw, [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1], [0.5, 0.5]] as [number, number][]]};
    expect(containsPoint(geometry, [1.5, 1.5])).toBe(true);
    expect(containsPoint(geometry, [0.75, 0.75])).toBe(false); // in the hole
    expect(containsPoint(geometry, [3, 1])).toBe(false);
  });
  it("reports open and short rings", () => {
    expect(ringProblem(ccw)).toBeUndefined();
    expect(ringProblem([[0, 0], [1, 0], [1, 1], [0, 1]])).toMatch(/nicht geschlossen/);
    expect(ringProblem([[0, 0], [1, 0], [0, 0]])).toMatch(/nur 3 Punkte/);
  });
});
