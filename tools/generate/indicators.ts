/**
 * indicators.csv: SGB II rates for children (all cities) – numerator drawn
 * from the latent need, denominator taken from population.csv.
 */
import {type CityModel, leafIdsBelow} from "./areas.ts";
import {SYNTHETIC, YEARS} from "./cities.ts";
import type {Row} from "./csv.ts";
import type {NeedMap} from "./need.ts";
import type {Population} from "./population.ts";
import {Rng, invLogit, logit} from "./rng.ts";

export const INDICATOR_COLUMNS = ["year", "area_id", "indicator_id", "numerator", "denominator", "source"] as const;

export const U15_BANDS = ["0-3", "3-6", "6-10", "10-15"] as const;
export const U6_BANDS = ["0-3", "3-6"] as const;

export interface Sgb2Params {
  /** City rate of children under 15 in SGB II households at need 0 (2017). */
  base: number;
  /** Logit effect of one unit of need. */
  beta: number;
}

export const SGB2_PARAMS: Readonly<Record<string, Sgb2Params>> = {
  bochum: {base: 0.25, beta: 0.55},
  bottrop: {base: 0.2, beta: 0.7},
  koeln: {base: 0.19, beta: 0.6}
};

/**
 * Year effect on the logit: slowly falling numbers 2017–2021, then the move of
 * refugees from Ukraine into SGB II (from 1 June 2022) raises them again.
 */
export function sgb2YearEffect(year: number): number {
  const e: Record<number, number> = {2017: 0, 2018: -0.03, 2019: -0.07, 2020: -0.05, 2021: -0.08, 2022: 0.02, 2023: 0.06, 2024: 0.06};
  return e[year] ?? 0;
}

/** sgb2_u15 and sgb2_u6 rows for every area and year (higher levels = sums of leaves). */
export function sgb2Rows(model: CityModel, need: NeedMap, pop: Population, seed: number | string): Row[] {
  const params = SGB2_PARAMS[model.id];
  if (!params) throw new Error(`no SGB II parameters for ${model.id}`);
  const leafCounts = new Map<string, {u15: number; u6: number}>();
  for (const leaf of model.leaves) {
    const rng = Rng.derive(seed, `sgb2:${model.id}:${leaf.id}`);
    const n = need.get(leaf.id) ?? 0;
    for (const year of YEARS) {
      const den15 = pop.sum(year, leaf.id, U15_BANDS);
      const den6 = pop.sum(year, leaf.id, U6_BANDS);
      const l15 = logit(params.base) + params.beta * n + sgb2YearEffect(year) + rng.normal(0, 0.04);
      const num15 = rng.binomial(den15, invLogit(l15));
      let num6 = rng.binomial(den6, invLogit(l15 + 0.12 + rng.normal(0, 0.04)));
      num6 = Math.min(num6, num15);
      leafCounts.set(`${year}|${leaf.id}`, {u15: num15, u6: num6});
    }
  }
  const rows: Row[] = [];
  for (const year of YEARS) {
    for (const area of model.areas) {
      const leaves = leafIdsBelow(model, area.id);
      let u15 = 0;
      let u6 = 0;
      for (const l of leaves) {
        const c = leafCounts.get(`${year}|${l}`);
        if (!c) throw new Error(`missing SGB II counts ${year}/${l}`);
        u15 += c.u15;
        u6 += c.u6;
      }
      const den15 = pop.sum(year, area.id, U15_BANDS);
      const den6 = pop.sum(year, area.id, U6_BANDS);
      rows.push({year, area_id: area.id, indicator_id: "sgb2_u15", numerator: u15, denominator: den15, source: SYNTHETIC});
      rows.push({year, area_id: area.id, indicator_id: "sgb2_u6", numerator: u6, denominator: den6, source: SYNTHETIC});
    }
  }
  return rows;
}
