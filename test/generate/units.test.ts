import {readFileSync} from "node:fs";
import {join} from "node:path";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {assignDistrict, buildAnchors, normaliseStreet, splitAddress} from "../../tools/generate/bochumDistricts.ts";
import {fromUtm32, toUtm32} from "../../tools/generate/geo.ts";
import {koelnAgeBand} from "../../tools/generate/real.ts";
import {Rng, apportion} from "../../tools/generate/rng.ts";
import {probit} from "../../tools/generate/seu.ts";
import {HAS_REAL, REAL_DIR} from "./helpers.ts";

describe("rng", () => {
  it("same seed and label give the same stream, others differ", () => {
    const a = Rng.derive(1, "x");
    const b = Rng.derive(1, "x");
    const c = Rng.derive(2, "x");
    const sa = Array.from({length: 20}, () => a.nextUint32());
    expect(Array.from({length: 20}, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({length: 20}, () => c.nextUint32())).not.toEqual(sa);
  });

  it("apportion keeps the total", () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.array(fc.double({min: 0.01, max: 100, noNaN: true}), {minLength: 1, maxLength: 40}), (total, w) => {
        const parts = apportion(total, w);
        expect(parts.reduce((s, v) => s + v, 0)).toBe(total);
        expect(parts.every((p) => Number.isInteger(p) && p >= 0)).toBe(true);
      })
    );
  });

  it("probit inverts the normal CDF at known points", () => {
    expect(probit(0.5)).toBeCloseTo(0, 8);
    expect(probit(0.975)).toBeCloseTo(1.959964, 5);
    expect(probit(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe("EPSG:25832 projection", () => {
  it("round-trips", () => {
    fc.assert(
      fc.property(fc.double({min: 5.8, max: 9.5, noNaN: true}), fc.double({min: 50.3, max: 52.6, noNaN: true}), (lon, lat) => {
        const [x, y] = toUtm32(lon, lat);
        const [lon2, lat2] = fromUtm32(x, y);
        expect(Math.abs(lon2 - lon)).toBeLessThan(1e-8);
        expect(Math.abs(lat2 - lat)).toBeLessThan(1e-8);
      })
    );
  });

  it.skipIf(!HAS_REAL)("matches the pyproj reprojection of the real Bochum Kitas within 0.2 m", () => {
    const gj = JSON.parse(readFileSync(join(REAL_DIR, "bochum", "bochum_daycare_centers_wgs84.geojson"), "utf8")) as {
      features: {properties: {rechts_utm: string; hoch_utm: string}; geometry: {coordinates: [number, number]}}[];
    };
    expect(gj.features.length).toBe(195);
    for (const f of gj.features) {
      const [x, y] = toUtm32(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      expect(Math.hypot(x - Number(f.properties.rechts_utm), y - Number(f.properties.hoch_utm))).toBeLessThan(0.2);
    }
  });
});

describe("Köln age bands", () => {
  it("converts the source labels", () => {
    expect(koelnAgeBand("00 - < 03")).toBe("0-3");
    expect(koelnAgeBand("15 - < 18")).toBe("15-18");
    expect(koelnAgeBand("75 und älter")).toBe("75+");
    expect(() => koelnAgeBand("unbekannt")).toThrow();
  });
});

describe("Bochum Kita district rule", () => {
  it("normalises street names and splits house numbers", () => {
    expect(normaliseStreet("Höntroper Straße")).toBe(normaliseStreet("Höntroper Str."));
    expect(splitAddress("Am Hausacker 43 a")).toEqual({street: "amhausacker", number: 43});
    expect(splitAddress("Marktstraße")).toBeUndefined();
  });

  it("uses the anchors of the same postcode and falls back to the table", () => {
    const anchors = buildAnchors(
      [
        {name: "A", address: "Teststraße 10", bezirk: "2"},
        {name: "B", address: "Andere Str. 5", bezirk: "1"},
        {name: "C", address: "Dritte Straße 7", bezirk: "4"}
      ],
      [
        {poi_id: "1", name: "Schule", street: "Teststr. 12", plz: "44866", category: "x", x: 370000, y: 5705000},
        {poi_id: "2", name: "Spielplatz", street: "Andere Straße", plz: "44803", category: "x", x: 380000, y: 5703000},
        {poi_id: "3", name: "Kita", street: "Dritte Str. 7", plz: "44803", category: "x", x: 383000, y: 5703000}
      ]
    );
    expect(anchors).toHaveLength(3);
    expect(assignDistrict({x: 370100, y: 5705100, plz: "44866"}, anchors)).toEqual({areaId: "2", method: "plz_eindeutig"});
    expect(assignDistrict({x: 382900, y: 5703000, plz: "44803"}, anchors).areaId).toBe("4");
    expect(assignDistrict({x: 380100, y: 5703000, plz: "44803"}, anchors).areaId).toBe("1");
    expect(assignDistrict({x: 376000, y: 5701000, plz: "44795"}, anchors)).toEqual({areaId: "6", method: "plz_tabelle"});
    expect(() => assignDistrict({x: 0, y: 0, plz: "99999"}, anchors)).toThrow();
  });
});
