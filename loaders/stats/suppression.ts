/**
 * Small-number protection (Geheimhaltung kleiner Fallzahlen): primary and secondary cell
 * suppression for indicator_values rows, and an audit that performs the recovery attack.
 *
 * This is the last step before export: DuckDB has computed everything, these functions
 * work on plain rows. The model (docs/methods.md, "Small-number protection"):
 *
 * - A cell is one count pair (numerator, denominator) of one indicator, area and year,
 *   either annual or pooled (the m-year window ending in that year).
 * - Additive relations known to anybody: the children of a parent sum to the parent
 *   (annual and pooled, the top level sums to the city), and a pooled cell is the sum
 *   of its m annual cells.
 * - Suppressed cells publish neither numerator nor denominator, rate, interval, city
 *   difference, significance or a change that involves them.
 */
import {determinedUnknowns, fractionFromNumber, scale, add, ZERO, toNumber, type Fraction, type SparseEquation} from "./exact-elimination.ts";
import {DEFAULT_CHANGE_YEARS, DEFAULT_POOLED_YEARS, type IndicatorValueRow} from "./rates.ts";

export type {IndicatorValueRow};

export type SuppressionReason = "primary" | "secondary";

/** A row after suppression. The flags say why a value is withheld (null: not suppressed). */
export interface PublishedRow extends IndicatorValueRow {
  suppressed: SuppressionReason | null;
  pooled_suppressed: SuppressionReason | null;
}

/**
 * What the audit needs of a published row: the counts. Derived fields are checked when
 * present. Flags: a withheld (null) value counts as suppressed unless its flag is
 * explicitly null (then it is a genuinely missing value, which nobody needs to protect).
 */
export type AuditRow = Pick<IndicatorValueRow, "year" | "area_id" | "indicator_id" | "numerator" | "denominator"> &
  Partial<Omit<IndicatorValueRow, "year" | "area_id" | "indicator_id" | "numerator" | "denominator">> & {
    suppressed?: SuppressionReason | null;
    pooled_suppressed?: SuppressionReason | null;
  };

export interface AreaNode {
  id: string;
  /** null (or "") for the city itself, the root of the hierarchy. */
  parent_id: string | null;
}

/** The area hierarchy and the window lengths used when indicator_values was computed. */
export interface StatsStructure {
  areas: readonly AreaNode[];
  /** m of the pooled rate (default 3). */
  pooledYears?: number;
  /** k of change_ky (default 2). */
  changeYears?: number;
}

export interface SuppressionOptions {
  /** Numerators 1 … minCases−1 are suppressed (default 5). */
  minCases?: number;
  /** Denominators below this are suppressed (default 20). */
  minDenominator?: number;
  /**
   * How a suppressed annual cell is protected against "pooled minus the other years":
   * "suppress-pooled" (default) withholds the pooled value of that window;
   * "suppress-annual" withholds another year of the window instead.
   */
  pooledPolicy?: "suppress-pooled" | "suppress-annual";
}

export const DEFAULT_MIN_CASES = 5;
export const DEFAULT_MIN_DENOMINATOR = 20;

/** Primary rule: 1 ≤ numerator ≤ minCases−1 (strictly: 0 < numerator < minCases) or denominator < minDenominator. */
export function isPrimarySuppressed(numerator: number, denominator: number, options: SuppressionOptions = {}): boolean {
  const minCases = options.minCases ?? DEFAULT_MIN_CASES;
  const minDenominator = options.minDenominator ?? DEFAULT_MIN_DENOMINATOR;
  return (numerator > 0 && numerator < minCases) || denominator < minDenominator;
}

// ---------------------------------------------------------------------------
// The cell/relation model shared by suppression and audit

export type CellKind = "annual" | "pooled";
type CellState = "published" | "primary" | "secondary" | "missing";

interface Cell {
  index: number;
  kind: CellKind;
  area: string;
  year: number;
  numerator: number | null;
  denominator: number | null;
  state: CellState;
  /** Whether a withheld value of this cell must be protected (audit: reportable). */
  protect: boolean;
  relations: number[];
}

/**
 * "pooled-difference" is implied by two pooled definitions (P(y) − P(y−1) = a(y) − a(y−m)); it
 * is listed explicitly so that the group rule sees the sliding-window attack.
 */
type RelationType = "hierarchy" | "pooled-hierarchy" | "pooled-definition" | "pooled-difference";

interface Relation {
  type: RelationType;
  /** Cell indices and coefficients of Σ coefficient·value = 0. */
  members: {cell: number; coefficient: number}[];
  /** hierarchy: the parent's cell; pooled-definition: the pooled cell; pooled-difference: P(y). */
  head: number;
  /** pooled-difference: P(y−1), a(y), a(y−m). */
  previous?: number;
  newYear?: number;
  oldYear?: number;
}

interface Model {
  indicator: string;
  cells: Cell[];
  relations: Relation[];
  byKey: Map<string, number>;
}

interface Hierarchy {
  parentOf: Map<string, string | null>;
  childrenOf: Map<string, string[]>;
  roots: string[];
}

function cellKey(kind: CellKind, area: string, year: number): string {
  return `${kind}\u0000${area}\u0000${year}`;
}

function buildHierarchy(areas: readonly AreaNode[]): Hierarchy {
  const parentOf = new Map<string, string | null>();
  for (const area of areas) {
    if (parentOf.has(area.id)) throw new Error(`Gebietsstruktur: Gebiet „${area.id}“ ist doppelt`);
    parentOf.set(area.id, area.parent_id === null || area.parent_id === "" ? null : area.parent_id);
  }
  const childrenOf = new Map<string, string[]>();
  const roots: string[] = [];
  for (const [id, parent] of parentOf) {
    if (parent === null) {
      roots.push(id);
      continue;
    }
    if (!parentOf.has(parent)) throw new Error(`Gebietsstruktur: übergeordnetes Gebiet „${parent}“ von „${id}“ fehlt`);
    const list = childrenOf.get(parent) ?? [];
    list.push(id);
    childrenOf.set(parent, list);
  }
  for (const list of childrenOf.values()) list.sort();
  roots.sort();
  // every area must reach a root (no cycles)
  for (const id of parentOf.keys()) {
    let current: string | null = id;
    for (let steps = 0; current !== null; steps++) {
      if (steps > parentOf.size) throw new Error(`Gebietsstruktur: Zyklus bei Gebiet „${id}“`);
      current = parentOf.get(current) ?? null;
    }
  }
  return {parentOf, childrenOf, roots};
}

function windowLength(structure: StatsStructure): number {
  const m = structure.pooledYears ?? DEFAULT_POOLED_YEARS;
  if (!Number.isInteger(m) || m < 1) throw new Error(`pooledYears muss eine ganze Zahl ≥ 1 sein, gefunden: ${m}`);
  return m;
}

function changeLength(structure: StatsStructure): number {
  const k = structure.changeYears ?? DEFAULT_CHANGE_YEARS;
  if (!Number.isInteger(k) || k < 1) throw new Error(`changeYears muss eine ganze Zahl ≥ 1 sein, gefunden: ${k}`);
  return k;
}

function groupByIndicator<T extends {indicator_id: string}>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.indicator_id) ?? [];
    list.push(row);
    groups.set(row.indicator_id, list);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface CellInit {
  numerator: number | null;
  denominator: number | null;
  state: CellState;
  protect: boolean;
}

/**
 * Builds cells and relations of one indicator. `describe` turns a row into its annual and
 * pooled cell contents (suppression: computed states; audit: published values and flags).
 */
function buildModel<T extends AuditRow>(
  indicator: string,
  rows: readonly T[],
  hierarchy: Hierarchy,
  m: number,
  describe: (row: T, kind: CellKind) => CellInit | null
): Model {
  const cells: Cell[] = [];
  const byKey = new Map<string, number>();
  const addCell = (kind: CellKind, area: string, year: number, init: CellInit): number => {
    const key = cellKey(kind, area, year);
    if (byKey.has(key)) throw new Error(`${indicator}: Gebiet „${area}“, Jahr ${year} ist doppelt`);
    const index = cells.length;
    cells.push({index, kind, area, year, ...init, relations: []});
    byKey.set(key, index);
    return index;
  };
  let minYear = Infinity;
  let maxYear = -Infinity;
  for (const row of rows) {
    if (!hierarchy.parentOf.has(row.area_id)) throw new Error(`${indicator}: Gebiet „${row.area_id}“ fehlt in der Gebietsstruktur`);
    if (!Number.isInteger(row.year)) throw new Error(`${indicator}: Jahr „${String(row.year)}“ ist keine ganze Zahl`);
    minYear = Math.min(minYear, row.year);
    maxYear = Math.max(maxYear, row.year);
    addCell("annual", row.area_id, row.year, describe(row, "annual") ?? {numerator: null, denominator: null, state: "missing", protect: false});
    const pooled = describe(row, "pooled");
    if (pooled) addCell("pooled", row.area_id, row.year, pooled);
  }
  const cellOf = (kind: CellKind, area: string, year: number): number =>
    byKey.get(cellKey(kind, area, year)) ?? addCell(kind, area, year, {numerator: null, denominator: null, state: "missing", protect: false});
  const relations: Relation[] = [];
  const addRelation = (type: RelationType, head: number, members: {cell: number; coefficient: number}[], extra: Partial<Relation> = {}): void => {
    const index = relations.length;
    relations.push({type, head, members, ...extra});
    for (const member of members) cells[member.cell]!.relations.push(index);
  };
  if (rows.length === 0) return {indicator, cells, relations, byKey};
  const firstWindowEnd = minYear + m - 1;
  for (let year = minYear; year <= maxYear; year++) {
    for (const [parent, children] of hierarchy.childrenOf) {
      for (const kind of ["annual", "pooled"] as const) {
        if (kind === "pooled" && year < firstWindowEnd) continue;
        const head = cellOf(kind, parent, year);
        addRelation(kind === "annual" ? "hierarchy" : "pooled-hierarchy", head, [
          ...children.map((child) => ({cell: cellOf(kind, child, year), coefficient: 1})),
          {cell: head, coefficient: -1}
        ]);
      }
    }
  }
  for (const area of hierarchy.parentOf.keys()) {
    for (let year = firstWindowEnd; year <= maxYear; year++) {
      const head = cellOf("pooled", area, year);
      const members = [{cell: head, coefficient: -1}];
      for (let t = year - m + 1; t <= year; t++) members.push({cell: cellOf("annual", area, t), coefficient: 1});
      addRelation("pooled-definition", head, members);
      if (year > firstWindowEnd) {
        // P(y) − P(y−1) − a(y) + a(y−m) = 0
        const previous = cellOf("pooled", area, year - 1);
        const newYear = cellOf("annual", area, year);
        const oldYear = cellOf("annual", area, year - m);
        {
          addRelation(
            "pooled-difference",
            head,
            [
              {cell: head, coefficient: 1},
              {cell: previous, coefficient: -1},
              {cell: newYear, coefficient: -1},
              {cell: oldYear, coefficient: 1}
            ],
            {previous, newYear, oldYear}
          );
        }
      }
    }
  }
  return {indicator, cells, relations, byKey};
}

/** Equations Σ coefficient·x = −Σ known, over the cells that are not published (columns = cell indices). */
function equationsOf(model: Model, value: (cell: Cell) => number | null): SparseEquation[] {
  const equations: SparseEquation[] = [];
  for (const relation of model.relations) {
    const coefficients = new Map<number, bigint>();
    let rhs: Fraction = ZERO;
    for (const member of relation.members) {
      const cell = model.cells[member.cell]!;
      const known = value(cell);
      if (known === null) coefficients.set(cell.index, (coefficients.get(cell.index) ?? 0n) + BigInt(member.coefficient));
      else rhs = add(rhs, scale(fractionFromNumber(known), BigInt(-member.coefficient)));
    }
    if (coefficients.size > 0) equations.push({coefficients, rhs});
  }
  return equations;
}

// ---------------------------------------------------------------------------
// Suppression

export interface SuppressionResult {
  rows: PublishedRow[];
  /** Number of cells (annual + pooled) suppressed by the primary rule. */
  primary: number;
  /** Number of cells suppressed additionally (secondary). */
  secondary: number;
  /** How many secondary cells the exact audit inside the loop had to add beyond the group rule (usually 0). */
  auditAdded: number;
}

const isUnknown = (cell: Cell): boolean => cell.state !== "published";
const isSuppressed = (cell: Cell): boolean => cell.state === "primary" || cell.state === "secondary";

/** Smallest numerator first; ties by denominator, area id, year (deterministic). */
function byNumerator(a: Cell, b: Cell): number {
  return (
    (a.numerator ?? 0) - (b.numerator ?? 0) ||
    (a.denominator ?? 0) - (b.denominator ?? 0) ||
    (a.area < b.area ? -1 : a.area > b.area ? 1 : 0) ||
    a.year - b.year
  );
}

function smallest(cells: Cell[]): Cell | null {
  const published = cells.filter((cell) => cell.state === "published").sort(byNumerator);
  return published[0] ?? null;
}

/** The cell to suppress additionally so that `relation` no longer reveals `unknown`. */
function chooseCandidate(model: Model, relation: Relation, unknown: Cell, policy: "suppress-pooled" | "suppress-annual"): Cell | null {
  const head = model.cells[relation.head]!;
  const others = relation.members.map((member) => model.cells[member.cell]!).filter((cell) => cell.index !== relation.head);
  if (relation.type === "pooled-difference") {
    const current = head;
    const previous = model.cells[relation.previous!]!;
    const newYear = model.cells[relation.newYear!]!;
    const oldYear = model.cells[relation.oldYear!]!;
    const published = (cell: Cell): Cell | null => (cell.state === "published" ? cell : null);
    // the window that contains the unknown year: a(y) is in P(y), a(y−m) in P(y−1)
    if (unknown === newYear) return policy === "suppress-pooled" ? published(current) ?? published(previous) ?? published(oldYear) : published(oldYear) ?? published(current) ?? published(previous);
    if (unknown === oldYear) return policy === "suppress-pooled" ? published(previous) ?? published(current) ?? published(newYear) : published(newYear) ?? published(previous) ?? published(current);
    // a pooled value is the unknown: withhold the other window, or a year
    const otherWindow = unknown === current ? previous : current;
    return policy === "suppress-pooled" ? published(otherWindow) ?? smallest([newYear, oldYear]) : smallest([newYear, oldYear]) ?? published(otherWindow);
  }
  if (relation.type === "pooled-definition") {
    if (unknown.index === head.index) return smallest(others);
    const otherYears = others.filter((cell) => cell.index !== unknown.index);
    if (policy === "suppress-pooled") return head.state === "published" ? head : smallest(otherYears);
    return smallest(otherYears) ?? (head.state === "published" ? head : null);
  }
  // hierarchy: siblings first (smallest numerator), the parent only if no sibling is left
  if (unknown.index === head.index) return smallest(others);
  const siblings = others.filter((cell) => cell.index !== unknown.index);
  return smallest(siblings) ?? (head.state === "published" ? head : null);
}

/** The group rule: any relation with exactly one unknown, and that one suppressed, gets a second one. */
function applyGroupRule(model: Model, policy: "suppress-pooled" | "suppress-annual"): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of model.relations) {
      const unknowns = relation.members.map((member) => model.cells[member.cell]!).filter(isUnknown);
      if (unknowns.length !== 1 || !isSuppressed(unknowns[0]!)) continue;
      const candidate = chooseCandidate(model, relation, unknowns[0]!, policy);
      if (candidate) {
        candidate.state = "secondary";
        changed = true;
      }
    }
  }
}

/** Fallback when the exact audit still finds a determined cell: suppress a published cell near it. */
function breakDerivation(model: Model, target: Cell, policy: "suppress-pooled" | "suppress-annual"): boolean {
  const relationsOf = (cell: Cell): Relation[] =>
    cell.relations
      .map((index) => model.relations[index]!)
      .sort((a, b) => a.members.filter((x) => isUnknown(model.cells[x.cell]!)).length - b.members.filter((x) => isUnknown(model.cells[x.cell]!)).length);
  for (const relation of relationsOf(target)) {
    const candidate = chooseCandidate(model, relation, target, policy);
    if (candidate) {
      candidate.state = "secondary";
      return true;
    }
  }
  // breadth-first over relations connected through unknown cells
  const seen = new Set<number>([target.index]);
  const queue: Cell[] = [target];
  while (queue.length > 0) {
    const cell = queue.shift()!;
    for (const relation of relationsOf(cell)) {
      const members = relation.members.map((member) => model.cells[member.cell]!);
      const candidate = smallest(members);
      if (candidate) {
        candidate.state = "secondary";
        return true;
      }
      for (const member of members) if (!seen.has(member.index)) {
        seen.add(member.index);
        queue.push(member);
      }
    }
  }
  return false;
}

/**
 * Primary and secondary suppression over indicator_values rows. Returns new rows (the
 * input is not modified) with withheld values set to null and the flags set.
 *
 * Algorithm: primary rule on every annual and pooled cell; then the group rule
 * (a relation – children + parent, or pooled + its years – with exactly one unknown
 * cell, which is suppressed, gets a second one: the published sibling with the smallest
 * numerator, else the parent; for pooled windows per `pooledPolicy`) repeated until
 * stable; then the exact audit (determinedUnknowns) as a safeguard – any still
 * determined cell gets a further suppression and the loop repeats.
 */
export function suppressIndicatorValues(
  rows: readonly IndicatorValueRow[],
  structure: StatsStructure,
  options: SuppressionOptions = {}
): SuppressionResult {
  const hierarchy = buildHierarchy(structure.areas);
  const m = windowLength(structure);
  const k = changeLength(structure);
  const policy = options.pooledPolicy ?? "suppress-pooled";
  const states = new Map<string, {annual: CellState; pooled: CellState}>();
  let primary = 0;
  let secondary = 0;
  let auditAdded = 0;

  for (const [indicator, group] of groupByIndicator(rows)) {
    const model = buildModel(indicator, group, hierarchy, m, (row, kind) => {
      const numerator = kind === "annual" ? row.numerator : row.pooled_numerator;
      const denominator = kind === "annual" ? row.denominator : row.pooled_denominator;
      // incomplete counts (one of the two missing) are published as missing
      if (numerator == null || denominator == null) return null;
      const state: CellState = isPrimarySuppressed(numerator, denominator, options) ? "primary" : "published";
      return {numerator, denominator, state, protect: true};
    });
    for (;;) {
      applyGroupRule(model, policy);
      const determined = determinedUnknowns(equationsOf(model, (cell) => (isUnknown(cell) ? null : 0)));
      const exposed = [...determined.keys()].map((index) => model.cells[index]!).filter(isSuppressed).sort(byNumerator);
      if (exposed.length === 0) break;
      // one at a time: a single extra suppression often protects several cells
      if (!breakDerivation(model, exposed[0]!, policy)) throw new Error(`${indicator}: Geheimhaltung konnte nicht hergestellt werden`);
      auditAdded++;
    }
    for (const cell of model.cells) {
      if (cell.state === "primary") primary++;
      if (cell.state === "secondary") secondary++;
      const key = `${indicator}\u0000${cell.area}\u0000${cell.year}`;
      const entry = states.get(key) ?? {annual: "missing", pooled: "missing"};
      entry[cell.kind] = cell.state;
      states.set(key, entry);
    }
  }

  const stateOf = (indicator: string, area: string, year: number): {annual: CellState; pooled: CellState} =>
    states.get(`${indicator}\u0000${area}\u0000${year}`) ?? {annual: "missing", pooled: "missing"};
  const suppressedState = (state: CellState): SuppressionReason | null =>
    state === "primary" || state === "secondary" ? state : null;
  const roots = new Set(hierarchy.roots);
  return {
    rows: rows.map((row): PublishedRow => {
      const own = stateOf(row.indicator_id, row.area_id, row.year);
      const out: PublishedRow = {...row, suppressed: suppressedState(own.annual), pooled_suppressed: suppressedState(own.pooled)};
      if (own.annual !== "published") {
        // suppressed, or incomplete counts (published as missing)
        out.numerator = out.denominator = out.rate = out.ci_lo = out.ci_hi = null;
        out.diff_city = out.signif = out.change_1y = out.change_ky = null;
      }
      if (own.pooled !== "published") {
        out.pooled_numerator = out.pooled_denominator = out.pooled_rate = out.pooled_ci_lo = out.pooled_ci_hi = null;
      }
      // changes involving a suppressed earlier year
      if (suppressedState(stateOf(row.indicator_id, row.area_id, row.year - 1).annual)) out.change_1y = null;
      if (suppressedState(stateOf(row.indicator_id, row.area_id, row.year - k).annual)) out.change_ky = null;
      // a suppressed city value: no city rate, no difference to it, no significance
      for (const root of roots) {
        if (suppressedState(stateOf(row.indicator_id, root, row.year).annual)) out.city_rate = out.diff_city = out.signif = null;
      }
      return out;
    }),
    primary,
    secondary,
    auditAdded
  };
}

// ---------------------------------------------------------------------------
// Audit

export type AuditField =
  | "numerator" | "denominator" | "rate" | "ci_lo" | "ci_hi" | "diff_city" | "signif" | "city_rate"
  | "change_1y" | "change_ky" | "pooled_rate" | "pooled_ci_lo" | "pooled_ci_hi";

export interface RecoverableCell {
  indicator_id: string;
  area_id: string;
  year: number;
  kind: CellKind;
  /** The withheld count that is determined ("linear"), or the published field that leaks a withheld cell ("derived"). */
  field: AuditField;
  via: "linear" | "derived";
  /** The recovered value (linear attack); null for derived leaks. */
  value: number | null;
}

function withheldAndProtected(value: number | null | undefined, flag: SuppressionReason | null | undefined): boolean {
  return value == null && flag !== null;
}

/**
 * The recovery attack on a published table. Builds the linear system of all published
 * additive relations (children sum to parent, top level sums to city, pooled = sum of its
 * annual values), with every withheld count as an unknown, separately for numerators and
 * denominators, and reports each withheld suppressed count that is uniquely determined
 * (exact Gauss–Jordan elimination, see exact-elimination.ts). Also reports published
 * derived fields (rate, interval, differences, changes, city rate) that belong to a
 * withheld cell. An empty result means: nothing can be recomputed.
 */
export function findRecoverableCells(published: readonly AuditRow[], structure: StatsStructure): RecoverableCell[] {
  const hierarchy = buildHierarchy(structure.areas);
  const m = windowLength(structure);
  const k = changeLength(structure);
  const findings: RecoverableCell[] = [];

  for (const [indicator, group] of groupByIndicator(published)) {
    for (const field of ["numerator", "denominator"] as const) {
      // In the audit model a cell's `numerator` slot holds the value of `field`.
      const model = buildModel(indicator, group, hierarchy, m, (row, kind) => {
        // rows without pooled columns at all publish no pooled values and withhold none
        if (kind === "pooled" && row.pooled_numerator === undefined && row.pooled_denominator === undefined) return null;
        const value = kind === "annual" ? row[field] : field === "numerator" ? row.pooled_numerator : row.pooled_denominator;
        const flag = kind === "annual" ? row.suppressed : row.pooled_suppressed;
        const known = value ?? null;
        return {numerator: known, denominator: null, state: known === null ? "missing" : "published", protect: withheldAndProtected(known, flag)};
      });
      const determined = determinedUnknowns(equationsOf(model, (cell) => (cell.state === "published" ? cell.numerator : null)));
      for (const [index, value] of determined) {
        const cell = model.cells[index]!;
        if (!cell.protect) continue;
        findings.push({indicator_id: indicator, area_id: cell.area, year: cell.year, kind: cell.kind, field, via: "linear", value: toNumber(value)});
      }
    }
    findings.push(...derivedLeaks(indicator, group, hierarchy, k));
  }
  return findings.sort(
    (a, b) =>
      (a.indicator_id < b.indicator_id ? -1 : a.indicator_id > b.indicator_id ? 1 : 0) ||
      a.year - b.year ||
      (a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : 0) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)
  );
}

/** Published derived fields that give away a withheld cell. */
function derivedLeaks(indicator: string, rows: readonly AuditRow[], hierarchy: Hierarchy, k: number): RecoverableCell[] {
  const findings: RecoverableCell[] = [];
  const byKey = new Map(rows.map((row) => [`${row.area_id}\u0000${row.year}`, row]));
  const annualWithheld = (row: AuditRow): boolean =>
    withheldAndProtected(row.numerator, row.suppressed) || withheldAndProtected(row.denominator, row.suppressed);
  const leak = (row: AuditRow, kind: CellKind, field: AuditField): void => {
    findings.push({indicator_id: indicator, area_id: row.area_id, year: row.year, kind, field, via: "derived", value: null});
  };
  const present = (value: number | null | undefined): boolean => value !== undefined && value !== null;
  for (const row of rows) {
    if (annualWithheld(row)) {
      for (const field of ["numerator", "denominator", "rate", "ci_lo", "ci_hi", "diff_city", "signif", "change_1y", "change_ky"] as const) {
        if (field !== "numerator" && field !== "denominator" && present(row[field])) leak(row, "annual", field);
      }
      // the numerator alone with the rate gives the denominator and vice versa – covered above by "rate"
      const next = byKey.get(`${row.area_id}\u0000${row.year + 1}`);
      if (next && present(next.change_1y)) leak(row, "annual", "change_1y");
      const later = byKey.get(`${row.area_id}\u0000${row.year + k}`);
      if (later && present(later.change_ky)) leak(row, "annual", "change_ky");
      if (hierarchy.parentOf.get(row.area_id) === null) {
        for (const other of rows) {
          if (other.year !== row.year) continue;
          for (const field of ["city_rate", "diff_city", "signif"] as const) {
            if (present(other[field])) {
              leak(row, "annual", field);
              break;
            }
          }
        }
      }
    }
    const pooledWithheld =
      withheldAndProtected(row.pooled_numerator, row.pooled_suppressed) || withheldAndProtected(row.pooled_denominator, row.pooled_suppressed);
    if (pooledWithheld) {
      for (const field of ["pooled_rate", "pooled_ci_lo", "pooled_ci_hi"] as const) if (present(row[field])) leak(row, "pooled", field);
    }
  }
  // one finding per cell and field is enough
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.area_id}\u0000${finding.year}\u0000${finding.kind}\u0000${finding.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
