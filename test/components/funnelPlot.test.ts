/**
 * funnelPlot: control limits around the city value (Spiegelhalter 2005, PHE funnel guidance),
 * the same formula as the pipeline's funnelLimits, and each area's position.
 */
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {FUNNEL_Z, funnelLimit, funnelPlot, funnelPosition} from "../../src/components/funnelPlot.ts";
import {funnelLimits} from "../../loaders/stats/compare.ts";
import type {IndicatorMeta, ValueRow} from "../../src/components/types.ts";

const meta: IndicatorMeta = {id: "x", title: "Anteil X", short_title: "X", definition: "", unit: "%", kind: "proportion", polarity: 1, source: "Test"};

function row(area: string, k: number | null, n: number | null, suppressed: string | null = null): ValueRow {
  return {year: 2024, area_id: area, name: `Gebiet ${area}`, level: "bezirk", indicator_id: "x", numerator: k, denominator: n, rate: k === null || n === null ? null : k / n,
    ci_lo: null, ci_hi: null, city_rate: 0.2, diff_city: null, signif: null, change_1y: null, change_ky: null, suppressed, synthetic: false} as unknown as ValueRow;
}

describe("funnel limits", () => {
  it("p0 = 0,2, n = 100: 0,2 ± 1,96·0,04 = [0,1216; 0,2784]; 99,8 %: 0,2 ± 3,09·0,04 = [0,0764; 0,3236]", () => {
    expect(funnelLimit(100, 0.2, FUNNEL_Z.z95)!.lo).toBeCloseTo(0.2 - 1.959963984540054 * 0.04, 12);
    expect(funnelLimit(100, 0.2, FUNNEL_Z.z95)!.hi).toBeCloseTo(0.27839855938, 10);
    expect(funnelLimit(100, 0.2, FUNNEL_Z.z998)!.lo).toBeCloseTo(0.07639070775, 10);
    // clamped at 0 for small n
    expect(funnelLimit(4, 0.2, FUNNEL_Z.z998)!.lo).toBe(0);
    expect(funnelLimit(0, 0.2, FUNNEL_Z.z95)).toBeNull();
  });

  it("agrees with the pipeline's funnelLimits (loaders/stats/compare.ts) on 60 cases", () => {
    let cases = 0;
    for (const n of [5, 20, 80, 300, 1000, 25000]) for (const p0 of [0, 0.01, 0.2, 0.5, 0.93]) for (const z of [FUNNEL_Z.z95, FUNNEL_Z.z998]) {
      const ours = funnelLimit(n, p0, z)!;
      const theirs = funnelLimits(n, p0, z)!;
      expect(ours.lo).toBeCloseTo(theirs.lo, 12);
      expect(ours.hi).toBeCloseTo(theirs.hi, 12);
      cases++;
    }
    expect(cases).toBe(60);
  });

  it("positions: 30 of 100 lies outside 95 % (0,278) but inside 99,8 % (0,324); 35 of 100 outside both; 25 of 100 inside", () => {
    expect(funnelPosition(0.3, 100, 0.2)).toBe("out95");
    expect(funnelPosition(0.35, 100, 0.2)).toBe("out998");
    expect(funnelPosition(0.25, 100, 0.2)).toBe("inside");
    expect(funnelPosition(0.07, 100, 0.2)).toBe("out998");
  });
});

describe("funnelPlot", () => {
  it("draws one dot per published area, both pairs of limits and the city line; withheld areas are counted in a note", () => {
    const {window} = new JSDOM("<!doctype html><body></body>");
    const el = funnelPlot([row("1", 30, 100), row("2", 35, 100), row("3", 25, 100), row("4", null, null, "geheim"), row("5", null, null)], {meta, cityRate: 0.2, width: 640, document: window.document});
    expect(el.querySelectorAll(".cn-dots circle").length).toBe(3);
    expect(el.querySelectorAll(".cn-limit95 path").length).toBe(2);
    expect(el.querySelectorAll(".cn-limit998 path").length).toBe(2);
    expect(el.querySelectorAll(".cn-city line").length).toBe(1);
    const fills = [...el.querySelectorAll(".cn-dots circle")].map((c) => c.getAttribute("fill"));
    expect(fills.sort()).toEqual(["#1f5aa6", "#8fb3e0", "#ffffff"].sort());
    expect(el.querySelector("p")!.textContent).toBe("2 Gebiete sind nicht dargestellt (geheim oder ohne Daten).");
    expect(el.textContent).toContain("außerhalb 99,8 %");
  });
});
