/**
 * Exact Gauss–Jordan elimination over the rationals for sparse linear systems with
 * small integer coefficients (the additive relations of a statistical table).
 *
 * Coefficients stay integers (fraction-free row operations, rows divided by the gcd of
 * their coefficients); right-hand sides are exact fractions of BigInts. Used by the
 * small-number audit: unknown i is uniquely determined by the system iff the unit
 * vector e_i lies in the row space, i.e. iff, in reduced row echelon form, column i is a
 * pivot column whose pivot row has no other non-zero coefficient.
 */

/** An exact rational number n/d with d > 0 and gcd(n, d) = 1. */
export interface Fraction {
  n: bigint;
  d: bigint;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function fraction(n: bigint, d: bigint = 1n): Fraction {
  if (d === 0n) throw new Error("Division durch null");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? {n: n / g, d: d / g} : {n, d};
}

export const ZERO: Fraction = {n: 0n, d: 1n};

/** The exact value of a finite double as a fraction (doubles are dyadic rationals). */
export function fractionFromNumber(x: number): Fraction {
  if (!Number.isFinite(x)) throw new Error(`Keine endliche Zahl: ${x}`);
  let value = x;
  let d = 1n;
  while (!Number.isInteger(value)) {
    value *= 2;
    d *= 2n;
  }
  return fraction(BigInt(value), d);
}

export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function scale(a: Fraction, k: bigint): Fraction {
  return fraction(a.n * k, a.d);
}

export function divide(a: Fraction, k: bigint): Fraction {
  return fraction(a.n, a.d * k);
}

export function toNumber(a: Fraction): number {
  return Number(a.n) / Number(a.d);
}

/** One equation Σ coefficient·x_column = rhs. */
export interface SparseEquation {
  coefficients: Map<number, bigint>;
  rhs: Fraction;
}

/**
 * Reduces the system to reduced row echelon form and returns, for every uniquely
 * determined unknown, its value. The input equations are not modified.
 */
export function determinedUnknowns(equations: readonly SparseEquation[]): Map<number, Fraction> {
  const rows: SparseEquation[] = [];
  for (const equation of equations) {
    const coefficients = new Map<number, bigint>();
    for (const [column, value] of equation.coefficients) if (value !== 0n) coefficients.set(column, value);
    if (coefficients.size > 0) rows.push({coefficients, rhs: equation.rhs});
  }
  // column → indices of rows with a non-zero coefficient in that column
  const rowsOfColumn = new Map<number, Set<number>>();
  const link = (column: number, row: number): void => {
    let set = rowsOfColumn.get(column);
    if (!set) rowsOfColumn.set(column, (set = new Set()));
    set.add(row);
  };
  rows.forEach((row, index) => {
    for (const column of row.coefficients.keys()) link(column, index);
  });
  const columns = [...rowsOfColumn.keys()].sort((a, b) => a - b);
  const isPivotRow = new Array<boolean>(rows.length).fill(false);
  const pivotRowOf = new Map<number, number>();

  for (const column of columns) {
    const candidates = [...(rowsOfColumn.get(column) ?? [])].filter((index) => !isPivotRow[index]);
    if (candidates.length === 0) continue;
    // the sparsest row keeps fill-in small
    let pivot = candidates[0]!;
    for (const index of candidates) if (rows[index]!.coefficients.size < rows[pivot]!.coefficients.size) pivot = index;
    isPivotRow[pivot] = true;
    pivotRowOf.set(column, pivot);
    const pivotRow = rows[pivot]!;
    const a = pivotRow.coefficients.get(column)!;
    for (const index of [...(rowsOfColumn.get(column) ?? [])]) {
      if (index === pivot) continue;
      const row = rows[index]!;
      const b = row.coefficients.get(column)!;
      // row := a·row − b·pivotRow  (eliminates the column, stays integral)
      const g = gcd(a, b);
      const fa = a / g;
      const fb = b / g;
      const result = new Map<number, bigint>();
      for (const [c, v] of row.coefficients) result.set(c, fa * v);
      for (const [c, v] of pivotRow.coefficients) result.set(c, (result.get(c) ?? 0n) - fb * v);
      let rhs = add(scale(row.rhs, fa), scale(pivotRow.rhs, -fb));
      for (const [c, v] of [...result]) if (v === 0n) result.delete(c);
      // keep the coefficients small
      let common = 0n;
      for (const v of result.values()) common = gcd(common, v);
      if (common > 1n) {
        for (const [c, v] of result) result.set(c, v / common);
        rhs = divide(rhs, common);
      }
      for (const c of row.coefficients.keys()) if (!result.has(c)) rowsOfColumn.get(c)?.delete(index);
      for (const c of result.keys()) link(c, index);
      rows[index] = {coefficients: result, rhs};
    }
  }

  const determined = new Map<number, Fraction>();
  for (const [column, index] of pivotRowOf) {
    const row = rows[index]!;
    if (row.coefficients.size === 1) determined.set(column, divide(row.rhs, row.coefficients.get(column)!));
  }
  return determined;
}
