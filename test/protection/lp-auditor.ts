/**
 * Independent LP auditor for small-number protection ("the attacker").
 *
 * Given everything a site publishes — published counts, withheld counts and the additive
 * relations everybody knows — it sets up a linear programme and computes, for every withheld
 * count, the feasible range [min, max] an attacker can derive. A withheld sensitive count with
 * true value v is protected with width w if min <= max(0, v − w) and max >= v + w.
 *
 * Two layers:
 * - generic: `feasibleRanges(model, targets)` on an `AttackModel` (variables with bounds,
 *   linear constraints). Fixed variables (lower === upper) are substituted as constants, the
 *   rest is split into connected components and every target is minimised and maximised with
 *   HiGHS (npm package `highs`, WebAssembly, offline) per component.
 * - indicator tables: `buildIndicatorAttackModel(cells, specs, hierarchy, options)` turns the
 *   published indicator cells into such a model (hierarchy sums, pooled windows, complements,
 *   shared denominators, published rates, non-negativity), `auditRanges` checks the ranges
 *   against the truth, `auditPublishedTables` does all three.
 *
 * This is test tooling and deliberately independent of loaders/ (no imports from there).
 */
import type {Highs} from "highs";

// ---------------------------------------------------------------------------
// Generic model

/** A variable of the attack model. Counts have lower 0; lower === upper means a known constant. */
export interface Variable {
  id: string;
  /** May be -Infinity for a free variable. */
  lower: number;
  /** null: no upper bound. */
  upper: number | null;
}

/** Σ coef·variable (sense) rhs. */
export interface LinearConstraint {
  terms: [string, number][];
  sense: "=" | "<=";
  rhs: number;
  /** Optional description, used in error messages. */
  label?: string;
}

export interface AttackModel {
  variables: Map<string, Variable> | Variable[];
  constraints: LinearConstraint[];
}

/** A linear expression whose range is wanted: constant + Σ coef·variable. */
export interface LinearTarget {
  id: string;
  terms: [string, number][];
  constant?: number;
}

/** Feasible range of a target. max null: unbounded above; min -Infinity: unbounded below. */
export interface Range {
  min: number;
  max: number | null;
}

export interface FeasibleRangeOptions {
  /** Options passed to every HiGHS solve (output_flag is always false unless given). */
  solverOptions?: Parameters<Highs["solve"]>[1];
  /** Filled with counts when given (for tests and diagnostics). */
  stats?: SolveStats;
}

export interface SolveStats {
  /** Components that contain at least one target (and at least one constraint). */
  components: number;
  /** LPs solved. */
  lps: number;
  /** Largest number of variables in a solved component. */
  largestComponent: number;
}

let highsPromise: Promise<Highs> | undefined;

/** Loads the HiGHS WebAssembly module once per process. */
export function loadHighs(): Promise<Highs> {
  highsPromise ??= import("highs").then((m) => {
    // ESM import resolves to build/highs.mjs (default export: the loader); TypeScript types the
    // package as CommonJS, where the loader sits one `default` deeper. Accept both.
    type Loader = () => Promise<Highs>;
    const candidate = m.default as unknown as Loader | {default: Loader};
    return (typeof candidate === "function" ? candidate : candidate.default)();
  });
  return highsPromise;
}

const ROUND = 1e6;
/** Rounds to 1e-6 and normalises −0. */
export function round6(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x * ROUND) / ROUND;
  return r === 0 ? 0 : r;
}

interface ReducedConstraint {
  cols: number[];
  coefs: number[];
  sense: "=" | "<=";
  rhs: number;
  source: number;
}

interface PreparedModel {
  ids: string[];
  lower: Float64Array;
  upper: Float64Array; // +Infinity when unbounded
  /** Value of fixed variables, NaN for free ones. */
  fixed: Float64Array;
  constraints: ReducedConstraint[];
  labels: string[];
  parent: Int32Array;
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[i] !== root) {
    const next = parent[i]!;
    parent[i] = root;
    i = next;
  }
  return root;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
}

function describeConstraint(c: LinearConstraint, index: number): string {
  return c.label ?? `constraint #${index} (${c.terms.map(([id, coef]) => `${coef}·${id}`).join(" + ")} ${c.sense} ${c.rhs})`;
}

/** Substitutes constants, merges duplicate terms, checks constant-only constraints, builds union-find. */
function prepare(model: AttackModel): PreparedModel {
  const list = model.variables instanceof Map ? [...model.variables.values()] : model.variables;
  const n = list.length;
  const ids: string[] = new Array(n);
  const index = new Map<string, number>();
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const fixed = new Float64Array(n).fill(NaN);
  list.forEach((v, i) => {
    if (index.has(v.id)) throw new Error(`Duplicate variable id ${v.id}`);
    if (Number.isNaN(v.lower) || (v.upper !== null && Number.isNaN(v.upper))) throw new Error(`Variable ${v.id} has a NaN bound`);
    const up = v.upper ?? Infinity;
    if (v.lower > up) throw new Error(`Variable ${v.id}: lower bound ${v.lower} exceeds upper bound ${up}`);
    ids[i] = v.id;
    index.set(v.id, i);
    lower[i] = v.lower;
    upper[i] = up;
    if (v.lower === up) fixed[i] = v.lower;
  });

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const constraints: ReducedConstraint[] = [];
  const labels: string[] = [];
  model.constraints.forEach((c, ci) => {
    labels.push(describeConstraint(c, ci));
    const merged = new Map<number, number>();
    let rhs = c.rhs;
    let magnitude = Math.abs(c.rhs);
    for (const [id, coef] of c.terms) {
      const i = index.get(id);
      if (i === undefined) throw new Error(`${describeConstraint(c, ci)} refers to unknown variable ${id}`);
      if (!Number.isFinite(coef)) throw new Error(`${describeConstraint(c, ci)} has a non-finite coefficient for ${id}`);
      const value = fixed[i]!;
      if (Number.isNaN(value)) merged.set(i, (merged.get(i) ?? 0) + coef);
      else {
        rhs -= coef * value;
        magnitude += Math.abs(coef * value);
      }
    }
    const cols: number[] = [];
    const coefs: number[] = [];
    for (const [i, coef] of merged) {
      if (coef !== 0) {
        cols.push(i);
        coefs.push(coef);
      }
    }
    if (cols.length === 0) {
      const tolerance = 1e-6 * Math.max(1, magnitude);
      const ok = c.sense === "=" ? Math.abs(rhs) <= tolerance : rhs >= -tolerance;
      if (!ok) throw new Error(`Attack model infeasible: published values contradict ${describeConstraint(c, ci)} (residual ${-rhs})`);
      return;
    }
    for (let k = 1; k < cols.length; k++) union(parent, cols[0]!, cols[k]!);
    constraints.push({cols, coefs, sense: c.sense, rhs, source: ci});
  });
  return {ids, lower, upper, fixed, constraints, labels, parent};
}

/** The connected components (variable ids) of the free variables, linked by shared constraints. */
export function connectedComponents(model: AttackModel): string[][] {
  const p = prepare(model);
  const groups = new Map<number, string[]>();
  for (let i = 0; i < p.ids.length; i++) {
    if (!Number.isNaN(p.fixed[i]!)) continue;
    const root = find(p.parent, i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(p.ids[i]!);
  }
  return [...groups.values()];
}

function formatNumber(x: number): string {
  // String(x) is the shortest round-trip representation; e-notation is accepted by the LP reader.
  return String(x);
}

function formatTerms(cols: readonly number[], coefs: readonly number[], local: Map<number, number>): string {
  let s = "";
  for (let k = 0; k < cols.length; k++) {
    const coef = coefs[k]!;
    s += `${coef < 0 ? " - " : " + "}${formatNumber(Math.abs(coef))} x${local.get(cols[k]!)!}`;
  }
  return s;
}

interface Component {
  id: number;
  vars: number[];
  constraints: ReducedConstraint[];
  local?: Map<number, number>;
  body?: string;
}

function componentBody(p: PreparedModel, comp: Component): {local: Map<number, number>; body: string} {
  if (comp.local && comp.body) return {local: comp.local, body: comp.body};
  const local = new Map<number, number>();
  comp.vars.forEach((v, j) => local.set(v, j));
  const parts: string[] = ["Subject To"];
  comp.constraints.forEach((c, r) => {
    parts.push(` r${r}:${formatTerms(c.cols, c.coefs, local)} ${c.sense} ${formatNumber(c.rhs)}`);
  });
  parts.push("Bounds");
  comp.vars.forEach((v, j) => {
    const lo = p.lower[v]!;
    const up = p.upper[v]!;
    if (lo === -Infinity && up === Infinity) parts.push(` x${j} free`);
    else if (up === Infinity) parts.push(` x${j} >= ${formatNumber(lo)}`);
    else parts.push(` ${lo === -Infinity ? "-inf" : formatNumber(lo)} <= x${j} <= ${formatNumber(up)}`);
  });
  parts.push("End");
  comp.local = local;
  comp.body = parts.join("\n");
  return {local, body: comp.body};
}

function componentName(p: PreparedModel, comp: Component): string {
  const vars = comp.vars.slice(0, 6).map((v) => p.ids[v]).join(", ");
  const cons = comp.constraints.slice(0, 4).map((c) => p.labels[c.source]).join("; ");
  return `component #${comp.id} (${comp.vars.length} variables: ${vars}${comp.vars.length > 6 ? ", …" : ""}; ${comp.constraints.length} constraints: ${cons}${comp.constraints.length > 4 ? "; …" : ""})`;
}

/**
 * For every target (a variable id or a linear expression), the feasible range [min, max]
 * over all solutions of the model, rounded to 1e-6. Keys: the variable id or the target's id.
 * Throws if a component is infeasible (the model builder or the published data is wrong).
 */
export async function feasibleRanges(model: AttackModel, targets: readonly (string | LinearTarget)[], options: FeasibleRangeOptions = {}): Promise<Map<string, Range>> {
  const highs = await loadHighs();
  const solverOptions = {output_flag: false, ...options.solverOptions};
  const p = prepare(model);
  const index = new Map<string, number>();
  p.ids.forEach((id, i) => index.set(id, i));

  // Components with their constraints (only those touched by a target are materialised).
  const componentOf = new Map<number, Component>();
  let nextComponent = 0;
  const normalised = targets.map((t) => {
    const target: LinearTarget = typeof t === "string" ? {id: t, terms: [[t, 1]]} : t;
    let constant = target.constant ?? 0;
    const merged = new Map<number, number>();
    for (const [id, coef] of target.terms) {
      const i = index.get(id);
      if (i === undefined) throw new Error(`Target ${target.id} refers to unknown variable ${id}`);
      const value = p.fixed[i]!;
      if (Number.isNaN(value)) merged.set(i, (merged.get(i) ?? 0) + coef);
      else constant += coef * value;
    }
    // group the free terms by component
    const parts = new Map<number, {cols: number[]; coefs: number[]}>();
    for (const [i, coef] of merged) {
      if (coef === 0) continue;
      const root = find(p.parent, i);
      if (!componentOf.has(root)) componentOf.set(root, {id: nextComponent++, vars: [], constraints: []});
      let part = parts.get(root);
      if (!part) parts.set(root, (part = {cols: [], coefs: []}));
      part.cols.push(i);
      part.coefs.push(coef);
    }
    return {id: target.id, constant, parts};
  });
  for (let i = 0; i < p.ids.length; i++) {
    if (!Number.isNaN(p.fixed[i]!)) continue;
    const comp = componentOf.get(find(p.parent, i));
    if (comp) comp.vars.push(i);
  }
  for (const c of p.constraints) {
    const comp = componentOf.get(find(p.parent, c.cols[0]!));
    if (comp) comp.constraints.push(c);
  }

  const stats: SolveStats = options.stats ?? {components: 0, lps: 0, largestComponent: 0};
  stats.components = 0;
  stats.lps = 0;
  stats.largestComponent = 0;
  for (const comp of componentOf.values()) {
    if (comp.constraints.length > 0) {
      stats.components++;
      stats.largestComponent = Math.max(stats.largestComponent, comp.vars.length);
    }
  }

  // Targets often share an objective (e.g. one shared denominator withheld by several indicators).
  const cache = new Map<string, number | null>();
  const solve = (comp: Component, cols: number[], coefs: number[], sense: "Minimize" | "Maximize"): number | null => {
    const {local, body} = componentBody(p, comp);
    const objective = formatTerms(cols, coefs, local);
    const cacheKey = `${comp.id}|${sense}|${objective}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const value = solveUncached(comp, objective, body, sense);
    cache.set(cacheKey, value);
    return value;
  };
  const solveUncached = (comp: Component, objective: string, body: string, sense: "Minimize" | "Maximize"): number | null => {
    const lp = `${sense}\n obj:${objective}\n${body}`;
    stats.lps++;
    let result = highs.solve(lp, solverOptions);
    if (result.Status === "Primal infeasible or unbounded") {
      stats.lps++;
      result = highs.solve(lp, {...solverOptions, presolve: "off"});
    }
    switch (result.Status) {
      case "Optimal":
        return result.ObjectiveValue;
      case "Unbounded":
        return null;
      case "Infeasible":
        throw new Error(`Attack model infeasible in ${componentName(p, comp)}`);
      default:
        throw new Error(`HiGHS returned status "${result.Status}" when solving ${sense.toLowerCase()} in ${componentName(p, comp)}`);
    }
  };

  const ranges = new Map<string, Range>();
  for (const t of normalised) {
    let min = t.constant;
    let max: number | null = t.constant;
    for (const [root, part] of t.parts) {
      const comp = componentOf.get(root)!;
      if (comp.constraints.length === 0) {
        // a single variable without constraints: its bounds
        const v = part.cols[0]!;
        const coef = part.coefs[0]!;
        const lo = p.lower[v]!;
        const up = p.upper[v]!;
        const a = coef * lo;
        const b = coef * up;
        min += Math.min(a, b);
        const hi = Math.max(a, b);
        max = max === null || hi === Infinity ? null : max + hi;
        continue;
      }
      const lo = solve(comp, part.cols, part.coefs, "Minimize");
      min = lo === null ? -Infinity : min + lo;
      const hi = solve(comp, part.cols, part.coefs, "Maximize");
      max = max === null || hi === null ? null : max + hi;
    }
    ranges.set(t.id, {min: round6(min), max: max === null ? null : round6(max)});
  }
  return ranges;
}

// ---------------------------------------------------------------------------
// Indicator tables

export type CellKind = "annual" | "pooled";
export type CountField = "numerator" | "denominator" | "complement";

export interface PublishedCell {
  indicator: string;
  area: string;
  year: number;
  kind: CellKind;
  /** Published count, or null if withheld/missing. */
  numerator: number | null;
  denominator: number | null;
  /** Published rate = rateScale · numerator / denominator, or null. */
  rate: number | null;
  /** Flagged "geheim" on the site: its withheld counts must be protected. false + null: genuinely missing. */
  withheld: boolean;
}

export interface IndicatorSpec {
  id: string;
  /** proportion: 0 <= N <= D, and the complement D − N is a count too. */
  kind: "proportion" | "ratio" | "per_capita";
  /** Indicators with the same denominatorCell share one denominator variable per (area, year, kind). */
  denominatorCell: string;
  /** D_indicator = denominatorScale · (shared cell); default 1. */
  denominatorScale?: number;
  /** Numerator known to everybody from other files: a constant equal to its true value (options.truth). */
  numeratorPublic?: boolean;
  /** Published rate = rateScale · N / D (e.g. 1000 for "per 1000"); default 1. */
  rateScale?: number;
}

export interface Hierarchy {
  /** area -> parent (null for the city root). */
  parentOf: Map<string, string | null>;
}

export interface CellTruth {
  numerator: number;
  /** The indicator's denominator (in the indicator's units, i.e. already scaled). */
  denominator: number;
  /** Whether the cell's withheld counts must be protected (default true); per field possible. */
  sensitive?: boolean | Partial<Record<CountField, boolean>>;
}

/** True values keyed by `cellKey`. */
export type Truth = Map<string, CellTruth>;

export interface BuildOptions {
  /** m of the pooled window (default 3). */
  pooledYears?: number;
  /** True values: needed for numeratorPublic indicators. */
  truth?: Truth;
  /**
   * Published rates are used as N − r·D = 0. If the site rounds rates, give the half rounding
   * unit here (in rate units): the relation becomes (r − tol)·D <= N <= (r + tol)·D.
   */
  rateTolerance?: number;
}

export interface AttackTarget extends LinearTarget {
  /** `${cellKey}#${field}`. */
  id: string;
  cell: string;
  field: CountField;
  /** The model variable (numerator, or the shared denominator variable); null for the complement. */
  variable: string | null;
}

export interface IndicatorAttackModel {
  model: AttackModel;
  targets: AttackTarget[];
  /** Things the builder decided that a reader should know (e.g. unshared denominators). */
  notes: string[];
}

export function cellKey(c: {indicator: string; area: string; year: number; kind: CellKind}): string {
  return `${c.indicator}|${c.area}|${c.year}|${c.kind}`;
}

export function targetId(cell: string, field: CountField): string {
  return `${cell}#${field}`;
}

function parseTargetId(id: string): {cell: string; field: CountField} {
  const at = id.lastIndexOf("#");
  const field = id.slice(at + 1);
  if (at < 0 || (field !== "numerator" && field !== "denominator" && field !== "complement")) throw new Error(`Not an indicator target id: ${id}`);
  return {cell: id.slice(0, at), field};
}

/** Dedupes constraints by their canonical form. */
class ConstraintSet {
  readonly list: LinearConstraint[] = [];
  private readonly seen = new Set<string>();
  add(terms: [string, number][], sense: "=" | "<=", rhs: number, label: string): void {
    const merged = new Map<string, number>();
    for (const [id, coef] of terms) merged.set(id, (merged.get(id) ?? 0) + coef);
    const clean = [...merged].filter(([, coef]) => coef !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (clean.length === 0 && rhs === 0 && sense === "=") return;
    const key = `${sense}|${rhs}|${clean.map(([id, coef]) => `${id}:${coef}`).join(",")}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({terms: clean, sense, rhs, label});
  }
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * The attacker's model of published indicator tables. Relations: hierarchy sums (numerators and
 * shared denominators, per indicator, year and kind), pooled windows (pooled = sum of the m annual
 * values, where a pooled cell exists), N <= D for proportions, shared denominators, published rates
 * (N = r·D), non-negativity. Published counts are fixed variables. Cells not in the input but
 * needed by a relation get free non-negative variables. Targets: for every withheld cell its
 * unpublished numerator (unless numeratorPublic), denominator and, for proportions, complement.
 */
export function buildIndicatorAttackModel(cells: readonly PublishedCell[], specs: readonly IndicatorSpec[], hierarchy: Hierarchy, options: BuildOptions = {}): IndicatorAttackModel {
  const pooledYears = options.pooledYears ?? 3;
  if (!Number.isInteger(pooledYears) || pooledYears < 1) throw new Error(`pooledYears must be a positive integer, got ${pooledYears}`);
  const rateTolerance = options.rateTolerance ?? 0;
  const truth = options.truth;
  const notes: string[] = [];

  const specOf = new Map<string, IndicatorSpec>();
  for (const s of specs) {
    if (specOf.has(s.id)) throw new Error(`Duplicate indicator spec ${s.id}`);
    if ((s.denominatorScale ?? 1) <= 0) throw new Error(`Indicator ${s.id}: denominatorScale must be positive`);
    specOf.set(s.id, s);
  }
  const spec = (indicator: string): IndicatorSpec => {
    const s = specOf.get(indicator);
    if (!s) throw new Error(`No IndicatorSpec for indicator ${indicator}`);
    return s;
  };

  const cellOf = new Map<string, PublishedCell>();
  for (const c of cells) {
    spec(c.indicator);
    const key = cellKey(c);
    if (cellOf.has(key)) throw new Error(`Duplicate cell ${key}`);
    for (const [name, value] of [["numerator", c.numerator], ["denominator", c.denominator], ["rate", c.rate]] as const) {
      if (value !== null && (!Number.isFinite(value) || (name !== "rate" && value < 0))) throw new Error(`Cell ${key}: invalid ${name} ${value}`);
    }
    cellOf.set(key, c);
  }

  // children per parent
  const childrenOf = new Map<string, string[]>();
  for (const [area, parent] of hierarchy.parentOf) {
    if (parent === null || parent === "") continue;
    let list = childrenOf.get(parent);
    if (!list) childrenOf.set(parent, (list = []));
    list.push(area);
  }

  // Shared denominators: published values in units of the shared cell; split keys with conflicts.
  const sharedKey = (s: IndicatorSpec, area: string, year: number, kind: CellKind) => `${s.denominatorCell}|${area}|${year}|${kind}`;
  const publishedShared = new Map<string, {value: number; indicator: string}[]>();
  for (const c of cells) {
    if (c.denominator === null) continue;
    const s = spec(c.indicator);
    const k = sharedKey(s, c.area, c.year, c.kind);
    let list = publishedShared.get(k);
    if (!list) publishedShared.set(k, (list = []));
    list.push({value: c.denominator / (s.denominatorScale ?? 1), indicator: c.indicator});
  }
  const split = new Set<string>();
  for (const [k, list] of publishedShared) {
    if (list.some((x) => !sameValue(x.value, list[0]!.value))) {
      split.add(k);
      notes.push(`denominator cell ${k} not shared: ${list.map((x) => `${x.indicator}=${x.value}`).join(", ")}`);
    }
  }

  const variables = new Map<string, Variable>();
  const constraints = new ConstraintSet();
  const proportionNumerators: {indicator: string; area: string; year: number; kind: CellKind}[] = [];

  const numeratorVar = (indicator: string, area: string, year: number, kind: CellKind): string => {
    const id = `N|${indicator}|${area}|${year}|${kind}`;
    if (variables.has(id)) return id;
    const s = spec(indicator);
    const key = cellKey({indicator, area, year, kind});
    const cell = cellOf.get(key);
    let value: number | null = cell?.numerator ?? null;
    if (s.numeratorPublic) {
      const t = truth?.get(key);
      if (t) {
        if (value !== null && !sameValue(value, t.numerator)) throw new Error(`Cell ${key}: published numerator ${value} differs from truth ${t.numerator}`);
        value = t.numerator;
      } else if (value === null && cell?.withheld) {
        throw new Error(`Indicator ${indicator} has a public numerator but options.truth has no value for withheld cell ${key}`);
      }
    }
    variables.set(id, {id, lower: value ?? 0, upper: value});
    if (s.kind === "proportion") proportionNumerators.push({indicator, area, year, kind});
    return id;
  };

  /** The variable of the indicator's denominator in shared-cell units; D_indicator = scale · variable. */
  const denominatorVar = (indicator: string, area: string, year: number, kind: CellKind): string => {
    const s = spec(indicator);
    const k = sharedKey(s, area, year, kind);
    const isSplit = split.has(k);
    const id = isSplit ? `D|${s.denominatorCell}@${indicator}|${area}|${year}|${kind}` : `D|${k}`;
    if (variables.has(id)) return id;
    let value: number | null = null;
    if (isSplit) {
      const d = cellOf.get(cellKey({indicator, area, year, kind}))?.denominator ?? null;
      value = d === null ? null : d / (s.denominatorScale ?? 1);
    } else {
      value = publishedShared.get(k)?.[0]?.value ?? null;
    }
    variables.set(id, {id, lower: value ?? 0, upper: value});
    return id;
  };

  // Triples (indicator, year, kind) that get hierarchy relations: those in the input and the
  // annual years that pooled windows refer to.
  const triples = new Map<string, {indicator: string; year: number; kind: CellKind}>();
  const addTriple = (indicator: string, year: number, kind: CellKind) => triples.set(`${indicator}|${year}|${kind}`, {indicator, year, kind});
  for (const c of cells) {
    addTriple(c.indicator, c.year, c.kind);
    if (c.kind === "pooled") for (let y = c.year - pooledYears + 1; y <= c.year; y++) addTriple(c.indicator, y, "annual");
  }

  // 1. Hierarchy
  for (const {indicator, year, kind} of triples.values()) {
    for (const [parent, children] of childrenOf) {
      const label = `hierarchy ${indicator}|${parent}|${year}|${kind}`;
      constraints.add([[numeratorVar(indicator, parent, year, kind), 1], ...children.map((c): [string, number] => [numeratorVar(indicator, c, year, kind), -1])], "=", 0, `${label} (numerator)`);
      constraints.add([[denominatorVar(indicator, parent, year, kind), 1], ...children.map((c): [string, number] => [denominatorVar(indicator, c, year, kind), -1])], "=", 0, `${label} (denominator)`);
    }
  }

  // 2. Pooling
  for (const c of cells) {
    if (c.kind !== "pooled") continue;
    const years: number[] = [];
    for (let y = c.year - pooledYears + 1; y <= c.year; y++) years.push(y);
    const label = `pooled window ${cellKey(c)}`;
    constraints.add([[numeratorVar(c.indicator, c.area, c.year, "pooled"), 1], ...years.map((y): [string, number] => [numeratorVar(c.indicator, c.area, y, "annual"), -1])], "=", 0, `${label} (numerator)`);
    constraints.add([[denominatorVar(c.indicator, c.area, c.year, "pooled"), 1], ...years.map((y): [string, number] => [denominatorVar(c.indicator, c.area, y, "annual"), -1])], "=", 0, `${label} (denominator)`);
  }

  // 5. Published rates: N − (r / rateScale)·scale·V = 0 (only informative if a count is unpublished)
  for (const c of cells) {
    if (c.rate === null) continue;
    const s = spec(c.indicator);
    const n = numeratorVar(c.indicator, c.area, c.year, c.kind);
    const d = denominatorVar(c.indicator, c.area, c.year, c.kind);
    const nFixed = variables.get(n)!.upper !== null;
    const dFixed = variables.get(d)!.upper !== null;
    if (nFixed && dFixed) continue;
    const factor = (s.denominatorScale ?? 1) / (s.rateScale ?? 1);
    const label = `published rate ${cellKey(c)} = ${c.rate}`;
    if (rateTolerance > 0) {
      constraints.add([[n, -1], [d, Math.max(0, c.rate - rateTolerance) * factor]], "<=", 0, `${label} (lower)`);
      constraints.add([[n, 1], [d, -(c.rate + rateTolerance) * factor]], "<=", 0, `${label} (upper)`);
    } else {
      constraints.add([[n, 1], [d, -c.rate * factor]], "=", 0, label);
    }
  }

  // Targets (created before the complements so that their variables exist)
  const targets: AttackTarget[] = [];
  for (const c of cells) {
    if (!c.withheld) continue;
    const s = spec(c.indicator);
    const key = cellKey(c);
    const n = numeratorVar(c.indicator, c.area, c.year, c.kind);
    const d = denominatorVar(c.indicator, c.area, c.year, c.kind);
    const scale = s.denominatorScale ?? 1;
    if (c.numerator === null && !s.numeratorPublic) targets.push({id: targetId(key, "numerator"), cell: key, field: "numerator", variable: n, terms: [[n, 1]]});
    if (c.denominator === null) targets.push({id: targetId(key, "denominator"), cell: key, field: "denominator", variable: d, terms: [[d, scale]]});
    if (s.kind === "proportion" && (variables.get(n)!.upper === null || variables.get(d)!.upper === null)) {
      targets.push({id: targetId(key, "complement"), cell: key, field: "complement", variable: null, terms: [[d, scale], [n, -1]]});
    }
  }

  // 3. Complements: N − scale·V <= 0 for every proportion numerator in the model
  for (const {indicator, area, year, kind} of proportionNumerators) {
    const s = spec(indicator);
    constraints.add([[numeratorVar(indicator, area, year, kind), 1], [denominatorVar(indicator, area, year, kind), -(s.denominatorScale ?? 1)]], "<=", 0, `complement ${cellKey({indicator, area, year, kind})}`);
  }

  // 6. Non-negativity: every variable has lower bound 0 (or is fixed to a published count).
  return {model: {variables, constraints: constraints.list}, targets, notes};
}

// ---------------------------------------------------------------------------
// Audit

export interface Violation {
  cell: string;
  field: CountField;
  trueValue: number;
  min: number;
  max: number | null;
  reason: "exact" | "too narrow";
}

const EPS = 1e-6;

function isSensitive(t: CellTruth, field: CountField): boolean {
  if (t.sensitive === undefined) return true;
  if (typeof t.sensitive === "boolean") return t.sensitive;
  return t.sensitive[field] ?? true;
}

/**
 * Violations of the protection rule for the indicator targets in `ranges` (keys `${cellKey}#${field}`,
 * as produced by buildIndicatorAttackModel + feasibleRanges): a sensitive withheld count with true
 * value v needs min <= max(0, v − width) and max >= v + width. "exact": max − min < 1e-6.
 * Throws if the truth of a target is missing or lies outside its range (the model is wrong).
 */
export function auditRanges(ranges: ReadonlyMap<string, Range>, truth: Truth, width = 3): Violation[] {
  const violations: Violation[] = [];
  for (const [id, range] of ranges) {
    const {cell, field} = parseTargetId(id);
    const t = truth.get(cell);
    if (!t) throw new Error(`No true value for cell ${cell}`);
    if (!isSensitive(t, field)) continue;
    const v = field === "numerator" ? t.numerator : field === "denominator" ? t.denominator : t.denominator - t.numerator;
    const {min, max} = range;
    if (v < min - EPS || (max !== null && v > max + EPS)) {
      throw new Error(`True ${field} ${v} of ${cell} lies outside the feasible range [${min}, ${max ?? "∞"}]: the attack model or the truth is wrong`);
    }
    if (max !== null && max - min < EPS) violations.push({cell, field, trueValue: v, min, max, reason: "exact"});
    else if (min > Math.max(0, v - width) + EPS || (max !== null && max < v + width - EPS)) violations.push({cell, field, trueValue: v, min, max, reason: "too narrow"});
  }
  return violations;
}

export interface AuditResult {
  violations: Violation[];
  ranges: Map<string, Range>;
  targets: AttackTarget[];
  notes: string[];
  stats: SolveStats;
}

/** Builds the attack model of the published tables, solves it and audits the ranges against the truth. */
export async function auditPublishedTables(cells: readonly PublishedCell[], specs: readonly IndicatorSpec[], hierarchy: Hierarchy, options: BuildOptions & {truth: Truth; width?: number}): Promise<AuditResult> {
  const {model, targets, notes} = buildIndicatorAttackModel(cells, specs, hierarchy, options);
  const stats: SolveStats = {components: 0, lps: 0, largestComponent: 0};
  const ranges = await feasibleRanges(model, targets, {stats});
  return {violations: auditRanges(ranges, options.truth, options.width ?? 3), ranges, targets, notes, stats};
}
