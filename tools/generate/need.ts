/**
 * The latent need factor per lowest-level area. Every synthetic indicator is
 * driven by it (plus trend and noise), which makes the indicators correlate
 * across areas as they do in real social reports.
 */
import type {CityModel} from "./areas.ts";
import {BOCHUM_NEED, BOTTROP_NEED, KOELN_NEED_OFFSET} from "./cities.ts";
import {type RealData, readKoelnMigrationShare} from "./real.ts";
import {Rng} from "./rng.ts";

export type NeedMap = Map<string, number>;

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Shift the values so that their weighted mean is zero. */
function centre(need: NeedMap, weights: Map<string, number>): NeedMap {
  let sw = 0;
  let s = 0;
  for (const [id, v] of need) {
    const w = weights.get(id) ?? 1;
    sw += w;
    s += w * v;
  }
  const mean = sw > 0 ? s / sw : 0;
  const out: NeedMap = new Map();
  for (const [id, v] of need) out.set(id, v - mean);
  return out;
}

export function bochumNeed(model: CityModel, seed: number | string, weights: Map<string, number>): NeedMap {
  const rng = Rng.derive(seed, "need:bochum");
  const need: NeedMap = new Map();
  for (const leaf of model.leaves) {
    const base = BOCHUM_NEED[leaf.id];
    if (base === undefined) throw new Error(`no need value for Bochum area ${leaf.id}`);
    need.set(leaf.id, base + clamp(rng.normal(0, 0.08), -0.15, 0.15));
  }
  return centre(need, weights);
}

export function bottropNeed(model: CityModel, seed: number | string, weights: Map<string, number>): NeedMap {
  const rng = Rng.derive(seed, "need:bottrop");
  const need: NeedMap = new Map();
  for (const leaf of model.leaves) {
    const nr = Number(leaf.extra["kommunalwahlbezirk_nr"]);
    const base = BOTTROP_NEED[nr];
    if (base === undefined) throw new Error(`no need value for Bottrop Wahlbezirk ${nr}`);
    need.set(leaf.id, base + clamp(rng.normal(0, 0.08), -0.15, 0.15));
  }
  return centre(need, weights);
}

/**
 * Köln: 0.75 × z-score of the real migration-background share 2012 per
 * Stadtteil, plus the hand-set offsets, plus seeded jitter.
 */
export function koelnNeed(model: CityModel, real: RealData, seed: number | string, weights: Map<string, number>): NeedMap {
  const rng = Rng.derive(seed, "need:koeln");
  const share = readKoelnMigrationShare(real, 2012);
  const values = model.leaves.map((l) => {
    const s = share.get(l.id);
    if (s === undefined) throw new Error(`Köln: no migration share for ${l.id}`);
    return s;
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  const need: NeedMap = new Map();
  model.leaves.forEach((leaf, i) => {
    const z = ((values[i] ?? mean) - mean) / sd;
    const offset = KOELN_NEED_OFFSET[leaf.id] ?? 0;
    need.set(leaf.id, 0.75 * z + offset + clamp(rng.normal(0, 0.15), -0.3, 0.3));
  });
  return centre(need, weights);
}
