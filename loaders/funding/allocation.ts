/**
 * Allocation simulator (Verteilungsrechner): distributes a budget over areas by a rule,
 * exactly to the cent. "Ungleiches ungleich behandeln".
 *
 *   1. weight w_i ≥ 0 of every area from the rule (see ruleWeights);
 *   2. optional minimum M per area: areas whose share would be below M are fixed at M, the
 *      rest of the budget is shared by the rule among the other areas; repeated until no
 *      free area is below M (at most n rounds);
 *   3. exact amounts in cents, floored; the remaining cents go one each to the areas with
 *      the largest remainders (Hare–Niemeyer), ties by larger weight, then area id.
 *
 * The sum of the proposed cents always equals the budget. Documented in docs/methods.md (section 11).
 */
import {assertNonNegative, assertUniqueIds, compareAreaIds, formatEuro, formatNumber} from "./common.ts";

export type AllocationRule = "need_weighted" | "class_multipliers" | "pluskita" | "equal_per_capita";

export const ALLOCATION_RULES: readonly AllocationRule[] = ["need_weighted", "class_multipliers", "pluskita", "equal_per_capita"];

export type NeedClass = 1 | 2 | 3 | 4;

export interface AllocationArea {
  area_id: string;
  /** Display name (optional). */
  name?: string;
  /** Children of the target group. */
  target_population: number;
  need_class?: NeedClass | null;
  /** Need index (status_z), mean 0 and SD 1 over the areas of the level. */
  need_z?: number | null;
  /** Children under 6 in SGB II households (PlusKITA key). */
  sgb2_u6?: number | null;
  /** Children with non-German family language (PlusKITA key). */
  nongerman_lang?: number | null;
  /** Current funding in € (for the comparison). */
  current?: number | null;
}

export interface AllocationOptions {
  /** Minimum per area in cents (integer ≥ 0, default 0). */
  minimumCents?: number;
  /** Class multipliers for classes 1–4 (default 1.0 / 1.25 / 1.5 / 2.0). */
  classMultipliers?: readonly [number, number, number, number];
  /** need_weighted: strength k in w = children × (1 + k · max(0, z)) (default 1). */
  needStrength?: number;
  /** pluskita: shares of the two keys (default 0.75 SGB II under 6, 0.25 non-German family language); must add up to 1. */
  pluskitaShares?: {sgb2: number; language: number};
}

export const DEFAULT_CLASS_MULTIPLIERS: readonly [number, number, number, number] = Object.freeze([1, 1.25, 1.5, 2]) as unknown as readonly [number, number, number, number];
export const DEFAULT_NEED_STRENGTH = 1;
export const DEFAULT_PLUSKITA_SHARES = Object.freeze({sgb2: 0.75, language: 0.25});

export interface AllocationRow {
  area_id: string;
  name: string;
  /** Weight of the rule (before the minimum). */
  weight: number;
  /** Exact (unrounded) amount in cents. */
  exact_cents: number;
  proposed_cents: number;
  proposed_eur: number;
  /** Share of the budget in % (proposed). */
  share_pct: number;
  current_eur: number | null;
  /** proposed − current in €. */
  difference_eur: number | null;
  /** (proposed − current) ÷ current × 100; null when current is missing or 0. */
  difference_pct: number | null;
  /** true: the area got the minimum (its share by the rule was below it). */
  at_minimum: boolean;
  /** 1 when the area got one of the remaining cents of the largest-remainder step. */
  extra_cent: 0 | 1;
}

export interface AllocationResult {
  rule: AllocationRule;
  budget_cents: number;
  budget_eur: number;
  minimum_cents: number;
  rows: AllocationRow[];
  /** The rule in German words (rule, minimum, rounding). */
  description: string;
  /** The formula as a string, e.g. "Anteil_i = w_i / Σ w, w_i = Kinder_i × Faktor(Klasse_i)". */
  formula: string;
  /** Sum of the current funding in € (null when no area has a current value). */
  total_current_eur: number | null;
  /** Rounds of the minimum step (1 without minimum). */
  rounds: number;
}

function isSafeNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function areaLabel(a: AllocationArea): string {
  return `Gebiet „${a.name ?? a.area_id}“`;
}

/** Weights of the rule, in the order of `areas`. Throws (German message) on missing inputs. */
export function ruleWeights(areas: readonly AllocationArea[], rule: AllocationRule, options: AllocationOptions = {}): number[] {
  switch (rule) {
    case "equal_per_capita":
      return areas.map((a) => {
        assertNonNegative(a.target_population, `${areaLabel(a)}: Kinder der Zielgruppe`);
        return a.target_population;
      });
    case "need_weighted": {
      const k = options.needStrength ?? DEFAULT_NEED_STRENGTH;
      assertNonNegative(k, "Stärke der Bedarfsgewichtung k");
      return areas.map((a) => {
        assertNonNegative(a.target_population, `${areaLabel(a)}: Kinder der Zielgruppe`);
        if (typeof a.need_z !== "number" || !Number.isFinite(a.need_z)) throw new RangeError(`${areaLabel(a)}: kein Bedarfsindex (z-Wert) – bedarfsgewichtete Verteilung nicht möglich`);
        return a.target_population * (1 + k * Math.max(0, a.need_z));
      });
    }
    case "class_multipliers": {
      const m = options.classMultipliers ?? DEFAULT_CLASS_MULTIPLIERS;
      if (m.length !== 4) throw new RangeError("Klassenfaktoren: genau vier Faktoren (Klassen 1–4) erwartet");
      m.forEach((f, i) => assertNonNegative(f, `Faktor der Bedarfsklasse ${i + 1}`));
      return areas.map((a) => {
        assertNonNegative(a.target_population, `${areaLabel(a)}: Kinder der Zielgruppe`);
        const c = a.need_class;
        if (c !== 1 && c !== 2 && c !== 3 && c !== 4) throw new RangeError(`${areaLabel(a)}: keine Bedarfsklasse (1–4) – Verteilung nach Klassenfaktoren nicht möglich`);
        return a.target_population * m[c - 1]!;
      });
    }
    case "pluskita": {
      const shares = options.pluskitaShares ?? DEFAULT_PLUSKITA_SHARES;
      assertNonNegative(shares.sgb2, "PlusKITA-Anteil SGB II");
      assertNonNegative(shares.language, "PlusKITA-Anteil Familiensprache");
      if (Math.abs(shares.sgb2 + shares.language - 1) > 1e-12) throw new RangeError("PlusKITA: die beiden Anteile müssen zusammen 1 (100 %) ergeben");
      for (const a of areas) {
        if (a.sgb2_u6 === null || a.sgb2_u6 === undefined) throw new RangeError(`${areaLabel(a)}: Zahl der Kinder unter 6 in SGB-II-Haushalten fehlt`);
        if (a.nongerman_lang === null || a.nongerman_lang === undefined) throw new RangeError(`${areaLabel(a)}: Zahl der Kinder mit nicht-deutscher Familiensprache fehlt`);
        assertNonNegative(a.sgb2_u6, `${areaLabel(a)}: Kinder unter 6 in SGB-II-Haushalten`);
        assertNonNegative(a.nongerman_lang, `${areaLabel(a)}: Kinder mit nicht-deutscher Familiensprache`);
      }
      const totalS = areas.reduce((s, a) => s + a.sgb2_u6!, 0);
      const totalL = areas.reduce((s, a) => s + a.nongerman_lang!, 0);
      if (shares.sgb2 > 0 && totalS <= 0) throw new RangeError("PlusKITA: in keinem Gebiet Kinder unter 6 in SGB-II-Haushalten – der SGB-II-Anteil kann nicht verteilt werden");
      if (shares.language > 0 && totalL <= 0) throw new RangeError("PlusKITA: in keinem Gebiet Kinder mit nicht-deutscher Familiensprache – dieser Anteil kann nicht verteilt werden");
      return areas.map((a) => (shares.sgb2 > 0 ? (shares.sgb2 * a.sgb2_u6!) / totalS : 0) + (shares.language > 0 ? (shares.language * a.nongerman_lang!) / totalL : 0));
    }
    default: {
      const never: never = rule;
      throw new RangeError(`Unbekannte Verteilungsregel: ${String(never)}`);
    }
  }
}

/** Tolerance (in cents) under which two remainders count as equal in the largest-remainder step. */
export const REMAINDER_TIE_TOLERANCE = 1e-9;

export interface RemainderItem {
  area_id: string;
  /** Exact amount in cents (≥ 0). */
  exact: number;
  weight: number;
  /** Only eligible items can receive a remaining cent. */
  eligible: boolean;
}

/**
 * Largest remainder method (Hare–Niemeyer) in cents: floor every exact amount, then give the
 * `total − Σ floor` remaining cents one each to the eligible items with the largest remainder;
 * equal remainders (within REMAINDER_TIE_TOLERANCE): larger weight first, then area id
 * (compareAreaIds). Returns integer cents in the order of `items`; their sum is `total`.
 */
export function largestRemainder(total: number, items: readonly RemainderItem[]): number[] {
  const floors = items.map((it) => Math.floor(it.exact + 1e-9)); // 1e-9: 149.9999999999 is 150
  let left = total - floors.reduce((s, f) => s + f, 0);
  // floating-point dust can make an exact amount slightly too large; take cents back from the smallest remainders
  if (left < 0) {
    const order = items.map((_, i) => i).filter((i) => items[i]!.eligible && floors[i]! > 0).sort((a, b) => (items[a]!.exact - floors[a]!) - (items[b]!.exact - floors[b]!));
    for (const i of order) {
      if (left === 0) break;
      floors[i]! -= 1;
      left += 1;
    }
  }
  const order = items
    .map((_, i) => i)
    .filter((i) => items[i]!.eligible)
    .sort((a, b) => {
      const ra = items[a]!.exact - floors[a]!;
      const rb = items[b]!.exact - floors[b]!;
      if (Math.abs(ra - rb) > REMAINDER_TIE_TOLERANCE) return rb - ra;
      if (items[a]!.weight !== items[b]!.weight) return items[b]!.weight - items[a]!.weight;
      return compareAreaIds(items[a]!.area_id, items[b]!.area_id);
    });
  if (left > order.length) throw new Error(`Rundung: ${left} Cent übrig, aber nur ${order.length} Gebiete können sie erhalten`);
  const result = [...floors];
  for (let k = 0; k < left; k++) result[order[k]!]! += 1;
  return result;
}

/** Allocates `budgetCents` over `areas` by `rule`; see the module comment. */
export function allocate(budgetCents: number, areas: readonly AllocationArea[], rule: AllocationRule, options: AllocationOptions = {}): AllocationResult {
  if (!isSafeNonNegativeInteger(budgetCents)) throw new RangeError(`Budget: ganze Zahl von Cent ≥ 0 erwartet, erhalten: ${String(budgetCents)}`);
  const minimum = options.minimumCents ?? 0;
  if (!isSafeNonNegativeInteger(minimum)) throw new RangeError(`Mindestbetrag: ganze Zahl von Cent ≥ 0 erwartet, erhalten: ${String(minimum)}`);
  if (areas.length === 0) throw new RangeError("Verteilung: keine Gebiete angegeben");
  assertUniqueIds(areas.map((a) => a.area_id), "Verteilung");
  for (const a of areas) if (a.current !== null && a.current !== undefined) assertNonNegative(a.current, `${areaLabel(a)}: bisherige Förderung`);
  const n = areas.length;
  if (minimum * n > budgetCents) {
    throw new RangeError(`Das Budget von ${formatEuro(budgetCents / 100)} reicht nicht für den Mindestbetrag von ${formatEuro(minimum / 100)} in allen ${n} Gebieten (nötig: ${formatEuro((minimum * n) / 100)})`);
  }
  const weights = ruleWeights(areas, rule, options);

  // minimum step: fix areas below the minimum, share the rest among the others, until stable
  const fixed = new Array<boolean>(n).fill(false);
  const exact = new Array<number>(n).fill(0);
  let rounds = 0;
  for (;;) {
    rounds++;
    const free = [...Array(n).keys()].filter((i) => !fixed[i]);
    const rest = budgetCents - minimum * (n - free.length);
    const freeWeight = free.reduce((s, i) => s + weights[i]!, 0);
    if (free.length > 0 && freeWeight <= 0 && minimum > 0) {
      // only zero-weight areas are left: by the rule they would get 0 < minimum
      for (const i of free) fixed[i] = true;
      continue;
    }
    if (free.length === 0 || freeWeight <= 0) {
      if (rest > 0) throw new RangeError("Das Budget kann nach der Regel nicht verteilt werden: kein Gebiet hat ein Gewicht größer als 0 (z. B. keine Kinder der Zielgruppe)");
      break;
    }
    for (const i of free) exact[i] = (rest * weights[i]!) / freeWeight;
    const below = minimum > 0 ? free.filter((i) => exact[i]! < minimum) : [];
    if (below.length === 0) break;
    for (const i of below) fixed[i] = true;
  }
  for (let i = 0; i < n; i++) if (fixed[i]) exact[i] = minimum;

  const cents = largestRemainder(
    budgetCents,
    areas.map((a, i) => ({area_id: a.area_id, exact: exact[i]!, weight: weights[i]!, eligible: !fixed[i] && weights[i]! > 0}))
  );
  const hasCurrent = areas.some((a) => a.current !== null && a.current !== undefined);
  const rows: AllocationRow[] = areas.map((a, i) => {
    const proposed = cents[i]!;
    const currentCents = a.current === null || a.current === undefined ? null : Math.round(a.current * 100);
    return {
      area_id: a.area_id,
      name: a.name ?? a.area_id,
      weight: weights[i]!,
      exact_cents: exact[i]!,
      proposed_cents: proposed,
      proposed_eur: proposed / 100,
      share_pct: budgetCents > 0 ? (proposed / budgetCents) * 100 : 0,
      current_eur: currentCents === null ? null : currentCents / 100,
      difference_eur: currentCents === null ? null : (proposed - currentCents) / 100,
      difference_pct: currentCents === null || currentCents === 0 ? null : ((proposed - currentCents) / currentCents) * 100,
      at_minimum: fixed[i]!,
      extra_cent: (proposed - Math.floor(exact[i]! + 1e-9) === 1 ? 1 : 0) as 0 | 1
    };
  });
  const text = describeRule(rule, options);
  return {
    rule,
    budget_cents: budgetCents,
    budget_eur: budgetCents / 100,
    minimum_cents: minimum,
    rows,
    description: text.description,
    formula: text.formula,
    total_current_eur: hasCurrent ? areas.reduce((s, a) => s + Math.round((a.current ?? 0) * 100), 0) / 100 : null,
    rounds
  };
}

const RULE_NAMES: Record<AllocationRule, string> = {
  need_weighted: "Bedarfsgewichtet (Bedarfsindex)",
  class_multipliers: "Klassenfaktoren (Bedarfsklassen)",
  pluskita: "PlusKITA-Schlüssel (§ 45 KiBiz NRW)",
  equal_per_capita: "Gleicher Betrag je Kind"
};

/** German name of a rule (for selects and headings). */
export function ruleName(rule: AllocationRule): string {
  return RULE_NAMES[rule];
}

const f = (v: number): string => formatNumber(v, 4);
const f1 = (v: number): string => formatNumber(v, 4, 1);

/** The rule in German words and as a formula string (used by allocate). */
export function describeRule(rule: AllocationRule, options: AllocationOptions = {}): {description: string; formula: string} {
  let description: string;
  let formula: string;
  switch (rule) {
    case "equal_per_capita":
      description = "Gleicher Betrag je Kind: Jedes Gebiet erhält den Anteil am Budget, der seinem Anteil an den Kindern der Zielgruppe entspricht. Das ist der Vergleichsmaßstab ohne Bedarfsgewichtung.";
      formula = "Anteil_i = Kinder_i / Σ Kinder";
      break;
    case "need_weighted": {
      const k = options.needStrength ?? DEFAULT_NEED_STRENGTH;
      description =
        `Bedarfsgewichtet: Jedes Kind der Zielgruppe zählt einmal. Liegt der Bedarfsindex (z-Wert) des Gebiets über dem Mittel der Gebiete (0), zählt jedes Kind zusätzlich mit dem ${f(k)}-Fachen des Indexwerts – bei einem Index von +1,5 also mit dem Gewicht ${f1(1 + k * 1.5)}. ` +
        "Gebiete mit durchschnittlichem oder unterdurchschnittlichem Bedarf erhalten das einfache Gewicht je Kind; kein Gebiet wird unter den gleichen Betrag je Kind gewichtet.";
      formula = `Anteil_i = w_i / Σ w, w_i = Kinder_i × (1 + ${f(k)} × max(0; z_i))`;
      break;
    }
    case "class_multipliers": {
      const m = options.classMultipliers ?? DEFAULT_CLASS_MULTIPLIERS;
      description = `Klassenfaktoren: Jedes Kind der Zielgruppe wird mit dem Faktor der Bedarfsklasse seines Gebiets gewichtet (Klasse 1: ${f1(m[0])}; Klasse 2: ${f1(m[1])}; Klasse 3: ${f1(m[2])}; Klasse 4: ${f1(m[3])}).`;
      formula = `Anteil_i = w_i / Σ w, w_i = Kinder_i × Faktor(Klasse_i), Faktor(1; 2; 3; 4) = ${m.map(f1).join("; ")}`;
      break;
    }
    case "pluskita": {
      const s = options.pluskitaShares ?? DEFAULT_PLUSKITA_SHARES;
      description =
        `PlusKITA-Schlüssel (angelehnt an § 45 KiBiz NRW): ${formatNumber(s.sgb2 * 100, 2)} % des Budgets nach dem Anteil des Gebiets an den Kindern unter sechs Jahren in SGB-II-Haushalten, ` +
        `${formatNumber(s.language * 100, 2)} % nach dem Anteil an den Kindern mit nicht-deutscher Familiensprache. Die Zahl der Kinder der Zielgruppe spielt keine Rolle.`;
      formula = `Anteil_i = ${f(s.sgb2)} × SGB2U6_i / Σ SGB2U6 + ${f(s.language)} × NDF_i / Σ NDF (SGB2U6: Kinder unter 6 in SGB-II-Haushalten, NDF: Kinder mit nicht-deutscher Familiensprache)`;
      break;
    }
    default: {
      const never: never = rule;
      throw new RangeError(`Unbekannte Verteilungsregel: ${String(never)}`);
    }
  }
  const minimum = options.minimumCents ?? 0;
  if (minimum > 0) {
    description +=
      ` Mindestbetrag: Jedes Gebiet erhält mindestens ${formatEuro(minimum / 100)}. Gebiete, deren rechnerischer Betrag darunter läge, erhalten den Mindestbetrag; ` +
      "der Rest des Budgets wird nach derselben Regel auf die übrigen Gebiete verteilt, so oft, bis kein Gebiet mehr unter dem Mindestbetrag liegt.";
    formula += `; Betrag_i = M, wenn Rest × Anteil_i unter den freien Gebieten < M, sonst Rest × w_i / Σ_frei w; M = ${formatEuro(minimum / 100)}, Rest = Budget − M × Zahl der Gebiete mit M`;
  } else {
    formula += "; Betrag_i = Budget × Anteil_i";
  }
  description +=
    " Rundung: Alle Beträge werden auf volle Cent abgerundet; die übrigen Cent erhalten die Gebiete mit den größten Rundungsresten (Hare-Niemeyer), bei gleichem Rest das Gebiet mit dem größeren Gewicht, dann nach Gebietsnummer. Die Summe entspricht genau dem Budget.";
  return {description, formula};
}
