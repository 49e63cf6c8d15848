/**
 * Secondary cell suppression with protection levels for one protection family and one
 * year: a tree of areas (the city, its districts, their parts, …) and, per area, the
 * counts of every indicator whose denominator belongs to the family.
 *
 * The model (docs/methods.md §10). Per indicator j and area v: numerator N, denominator D
 * and, for proportions, the complement C = D − N. Everybody knows that the parts of an area
 * sum to the area (for N, C and D) and that all counts are ≥ 0. A withheld cell hides N, C
 * and the rate; a cell withheld at the *family* level (Dw) also hides D, for every
 * indicator of the family (they share the denominator: the examined children, the child
 * population).
 *
 * Protection requirement (protection levels as in tau-Argus/sdcTable, width p): an attacker's
 * feasible range of every sensitive count x must reach max(0, x − p) below and x + p above.
 *
 * The method works with *feasible directions*: moves of the withheld values that keep every
 * published figure unchanged. Two kinds exist within one sub-table (an area and its parts):
 * - NC move (denominators fixed): N(x) + t, C(x) − t at x and N(s) − t, C(s) + t at a
 *   withheld sibling s. Up to t ≤ min(C(x), N(s)) upward, t ≤ min(N(x), C(s)) downward.
 * - D move (x and s both withheld at family level): D(x) + t, D(s) − t, each indicator's
 *   N or C absorbing the change: upward up to D(s) (N(s) for a numerator), downward to 0.
 * A withheld area with parts can only move when its withheld parts move with it, so every
 * withheld non-leaf area needs withheld parts that carry min(p, its capacity) in both
 * directions (the "downward chain"). Sub-tables are processed top-down; each check looks at
 * one area and its parts only, so the cost grows linearly with the number of areas. A
 * requirement no sibling can meet falls back to the parent (x + t, parent + t), which then
 * carries the requirement into its own sub-table; passes repeat until nothing changes.
 *
 * The independent LP audit (test/protection) verifies the result on every built site.
 */

/** The area tree: areas in top-down order (every parent before its parts). */
export interface AreaTree {
  ids: readonly string[];
  /** index of the parent area, −1 for the root (the city). */
  parent: Int32Array;
  children: readonly (readonly number[])[];
}

export interface FamilyMember {
  id: string;
  /** Proportion of people (N ≤ D): the numerator and its complement are protected (NC moves). */
  protectNumerator: boolean;
  /** Numerators 1 … minCases−1 (and complements, for protected numerators) are sensitive; 0 disables. */
  minCases: number;
  /** Denominators 1 … minDenominator−1 are sensitive. */
  minDenominator: number;
}

export interface FamilyYearCounts {
  /** per member: numerator and denominator per area index; NaN = missing (not computed / marker). */
  numerator: readonly Float64Array[];
  denominator: readonly Float64Array[];
}

export const PUBLISHED = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;
export type CellState = typeof PUBLISHED | typeof PRIMARY | typeof SECONDARY;

export interface FamilyYearResult {
  /** per member, per area: PUBLISHED, PRIMARY (sensitive itself) or SECONDARY (protects another cell). */
  states: Uint8Array[];
  /** per area: whether the shared denominator is withheld (every member withheld there). */
  denominatorWithheld: Uint8Array;
  /** passes over the tree until stable. */
  passes: number;
}

export function buildAreaTree(areas: readonly {id: string; parent_id: string | null}[]): AreaTree {
  const index = new Map<string, number>();
  const parentIds = new Map(areas.map((a) => [a.id, a.parent_id === "" ? null : a.parent_id]));
  // top-down order: breadth-first from the roots, children sorted by id (deterministic)
  const kids = new Map<string | null, string[]>();
  for (const [id, parent] of parentIds) {
    if (parent !== null && !parentIds.has(parent)) throw new Error(`Gebietsstruktur: übergeordnetes Gebiet „${parent}“ von „${id}“ fehlt`);
    const list = kids.get(parent) ?? [];
    list.push(id);
    kids.set(parent, list);
  }
  for (const list of kids.values()) list.sort();
  const order: string[] = [];
  const queue = [...(kids.get(null) ?? [])];
  while (queue.length) {
    const id = queue.shift()!;
    if (index.has(id)) throw new Error(`Gebietsstruktur: Zyklus bei Gebiet „${id}“`);
    index.set(id, order.length);
    order.push(id);
    queue.push(...(kids.get(id) ?? []));
  }
  if (order.length !== parentIds.size) throw new Error("Gebietsstruktur: nicht alle Gebiete erreichen die Stadt (Zyklus)");
  const parent = new Int32Array(order.length);
  const children: number[][] = order.map(() => []);
  order.forEach((id, i) => {
    const p = parentIds.get(id);
    parent[i] = p === null || p === undefined ? -1 : index.get(p)!;
    if (parent[i]! >= 0) children[parent[i]!]!.push(i);
  });
  return {ids: order, parent, children};
}

const finite = (x: number): boolean => !Number.isNaN(x);

/**
 * Protects one family in one year. Deterministic: candidates are taken by cost (the count
 * they withhold), ties by area order.
 */
export function protectFamilyYear(
  tree: AreaTree,
  members: readonly FamilyMember[],
  counts: FamilyYearCounts,
  width: number,
  options: {primaryOnly?: boolean} = {}
): FamilyYearResult {
  const n = tree.ids.length;
  const M = members.length;
  const p = width;
  const N = counts.numerator;
  const D = counts.denominator;
  // smallest known denominator of the family per area (capacity of a D move), NaN if none
  const dmin = new Float64Array(n).fill(NaN);
  for (let j = 0; j < M; j++) for (let v = 0; v < n; v++) {
    const d = D[j]![v]!;
    if (finite(d) && !(d >= dmin[v]!)) dmin[v] = d;
  }
  const primary = Array.from({length: M}, () => new Uint8Array(n));
  const withheld = Array.from({length: M}, () => new Uint8Array(n));
  // required range of N and of the complement C above/below their values, per member and area
  const needUp = Array.from({length: M}, () => new Float64Array(n));
  const needDown = Array.from({length: M}, () => new Float64Array(n));
  const cNeedUp = Array.from({length: M}, () => new Float64Array(n));
  const cNeedDown = Array.from({length: M}, () => new Float64Array(n));
  const dw = new Uint8Array(n);
  const dNeed = new Uint8Array(n); // the shared denominator itself needs protection
  for (let j = 0; j < M; j++) {
    const m = members[j]!;
    for (let v = 0; v < n; v++) {
      const num = N[j]![v]!;
      const den = D[j]![v]!;
      if (!finite(den)) continue;
      if (den > 0 && den < m.minDenominator) {
        primary[j]![v] = 1;
        dNeed[v] = 1;
      }
      if (!m.protectNumerator || !finite(num)) continue;
      const comp = den - num;
      const nSens = num > 0 && num < m.minCases;
      const cSens = comp > 0 && comp < m.minCases;
      if (!nSens && !cSens) continue;
      primary[j]![v] = 1;
      if (nSens) {
        needUp[j]![v] = p;
        needDown[j]![v] = Math.min(num, p);
      }
      if (cSens) {
        cNeedUp[j]![v] = p;
        cNeedDown[j]![v] = Math.min(comp, p);
      }
      // with the denominator fixed, N moves only against C: if the cell itself has no room,
      // the denominator must move too (withheld for the whole family)
      if ((nSens && comp < p) || (cSens && num < p)) dNeed[v] = 1;
    }
  }
  const withholdFamily = (v: number): boolean => {
    if (dw[v]) return false;
    dw[v] = 1;
    for (let j = 0; j < M; j++) withheld[j]![v] = 1;
    return true;
  };
  for (let v = 0; v < n; v++) {
    if (dNeed[v] && !options.primaryOnly) withholdFamily(v);
    for (let j = 0; j < M; j++) if (primary[j]![v]) withheld[j]![v] = 1;
  }

  const cap = (x: number): number => (finite(x) ? Math.min(p, Math.max(0, x)) : 0);

  /**
   * Takes candidates until `remaining()` is [0, 0]. `gain(s)` gives what a candidate adds to
   * the two needs; `cost(s)` what withholding it costs. Returns false if the candidates run out.
   */
  const fill = (candidates: number[], remaining: () => [number, number], gain: (s: number) => [number, number], cost: (s: number) => number, take: (s: number) => void): boolean => {
    let [ru, rd] = remaining();
    const pool = candidates.slice();
    while (ru > 1e-9 || rd > 1e-9) {
      let best = -1;
      let bestCost = Infinity;
      // the cheapest single candidate that completes both needs
      for (const s of pool) {
        const [gu, gd] = gain(s);
        if (gu + 1e-9 >= ru && gd + 1e-9 >= rd && cost(s) < bestCost) {
          best = s;
          bestCost = cost(s);
        }
      }
      if (best < 0) {
        // else the one that covers most of what is missing
        let bestGain = 0;
        for (const s of pool) {
          const [gu, gd] = gain(s);
          const g = Math.min(gu, ru) + Math.min(gd, rd);
          if (g > bestGain + 1e-9 || (Math.abs(g - bestGain) <= 1e-9 && g > 0 && cost(s) < bestCost)) {
            best = s;
            bestGain = g;
            bestCost = cost(s);
          }
        }
      }
      if (best < 0) return false;
      take(best);
      pool.splice(pool.indexOf(best), 1);
      [ru, rd] = remaining();
    }
    return true;
  };

  let changed = !options.primaryOnly;
  let passes = 0;
  while (changed) {
    changed = false;
    passes++;
    if (passes > n + 5) throw new Error("Geheimhaltung: keine stabile Lösung gefunden");
    for (let P = 0; P < n; P++) {
      const kids = tree.children[P]!;
      if (kids.length === 0) continue;

      // ---- the shared denominator (family level)
      if (finite(dmin[P]!)) {
        const takeD = (s: number): void => {
          if (withholdFamily(s)) changed = true;
        };
        for (const x of kids) {
          if (!dw[x] || !dNeed[x]) continue;
          const others = kids.filter((s) => s !== x);
          const capacity = (): number => others.reduce((sum, s) => sum + (dw[s] ? cap(dmin[s]!) : 0), 0);
          const ok = fill(
            others.filter((s) => !dw[s] && finite(dmin[s]!) && dmin[s]! > 0),
            () => [Math.max(0, p - capacity()), 0],
            (s) => [cap(dmin[s]!), 0],
            (s) => dmin[s]!,
            takeD
          );
          if (!ok && !dw[P]) {
            // no sibling can carry it: the parent moves with x and needs protection itself
            withholdFamily(P);
            dNeed[P] = 1;
            changed = true;
          }
        }
        if (dw[P]) {
          // a withheld area moves only with withheld parts (downward chain)
          const need = Math.max(cap(dmin[P]!), 1e-6);
          const carried = (): number => kids.reduce((sum, c) => sum + (dw[c] ? cap(dmin[c]!) : 0), 0);
          const anyKid = (): boolean => kids.some((c) => dw[c]);
          fill(
            kids.filter((c) => !dw[c] && finite(dmin[c]!)),
            () => [Math.max(0, need - carried(), anyKid() ? 0 : 1e-6), 0],
            (c) => [Math.max(cap(dmin[c]!), 1e-6), 0],
            (c) => dmin[c]!,
            takeD
          );
        }
      }

      // ---- numerators and complements, per indicator
      for (let j = 0; j < M; j++) {
        if (!members[j]!.protectNumerator) continue;
        const Nj = N[j]!;
        const Dj = D[j]!;
        const Wj = withheld[j]!;
        if (!finite(Nj[P]!) || !finite(Dj[P]!)) continue;
        const C = (v: number): number => Dj[v]! - Nj[v]!;
        const takeNC = (s: number): void => {
          if (!Wj[s]) {
            Wj[s] = 1;
            changed = true;
          }
        };
        for (const x of kids) {
          const UN = needUp[j]![x]!;
          const LN = needDown[j]![x]!;
          const UC = cNeedUp[j]![x]!;
          const LC = cNeedDown[j]![x]!;
          if (UN <= 0 && LN <= 0 && UC <= 0 && LC <= 0) continue;
          const others = kids.filter((s) => s !== x);
          const Nx = Nj[x]!;
          const Cx = C(x);
          /**
           * What partners still have to supply, as [numerators, complements] of withheld siblings.
           * Each requirement is its own attack (min or max of one count), met by one of two moves:
           * NC (denominators fixed; the cell itself needs room) or D (x and partners withheld at
           * family level; the partners' N or C absorbs). The smaller deficit counts.
           */
          const deficits = (): [number, number] => {
            let nSum = 0;
            let cSum = 0;
            let dN = 0;
            let dC = 0;
            let dAny = false;
            for (const s of others) {
              if (!Wj[s] || !finite(Nj[s]!) || !finite(Dj[s]!)) continue;
              nSum += cap(Nj[s]!);
              cSum += cap(C(s));
              if (dw[s]) {
                dN += cap(Nj[s]!);
                dC += cap(C(s));
                dAny = true;
              }
            }
            const route = (need: number, selfRoom: number, ncSum: number, dSum: number): number => {
              if (need <= 0) return 0;
              const viaNC = selfRoom + 1e-9 >= need ? Math.max(0, need - ncSum) : Infinity;
              const viaD = dw[x] ? Math.max(0, need - dSum) : Infinity;
              return Math.min(viaNC, viaD);
            };
            // moving down needs room in x itself and a partner that can take the amount (D move: any)
            const down = (need: number, self: number, ncSum: number): number => {
              if (need <= 0) return 0;
              const viaNC = self + 1e-9 >= need ? Math.max(0, need - ncSum) : Infinity;
              const viaD = dw[x] && dAny ? 0 : dw[x] ? 1e-6 : Infinity;
              return Math.min(viaNC, viaD);
            };
            const a = Math.max(route(UN, Cx, nSum, dN), down(LC, Cx, nSum));
            const b = Math.max(route(UC, Nx, cSum, dC), down(LN, Nx, cSum));
            return [a, b];
          };
          const candidates = (filter: (s: number) => boolean): number[] => others.filter((s) => filter(s) && finite(Nj[s]!) && finite(Dj[s]!));
          // cost: the children whose cell is withheld; among equal ones the fewer cases
          let ok = fill(candidates((s) => !Wj[s]), deficits, (s) => [cap(Nj[s]!), cap(C(s))], (s) => Dj[s]! + 1e-3 * Nj[s]!, takeNC);
          if (!ok && dw[x]) {
            // the D move needs partners withheld at family level
            ok = fill(candidates((s) => !dw[s]), deficits, (s) => [Math.max(cap(Nj[s]!), 1e-6), Math.max(cap(C(s)), 1e-6)], (s) => dmin[s]!, (s) => {
              if (withholdFamily(s)) changed = true;
            });
          }
          if (!ok) {
            // the parent moves with x: it takes over the requirements in its own sub-table
            takeNC(P);
            const raise = (arr: Float64Array[], value: number): void => {
              if (arr[j]![P]! < value) {
                arr[j]![P] = value;
                changed = true;
              }
            };
            raise(needUp, Math.min(UN, C(P)));
            raise(needDown, Math.min(LN, Nj[P]!));
            raise(cNeedUp, Math.min(UC, Nj[P]!));
            raise(cNeedDown, Math.min(LC, C(P)));
          }
        }
        if (Wj[P]) {
          // downward chain: withheld parts carry min(p, N) down and min(p, C) up
          const needN = Math.max(cap(Nj[P]!), 0);
          const needC = Math.max(cap(C(P)), 0);
          const carried = (): [number, number] => {
            let a = 0;
            let b = 0;
            let any = false;
            for (const c of kids) {
              if (!Wj[c]) continue;
              any = true;
              a += cap(Nj[c]!);
              b += cap(C(c));
            }
            return any ? [a, b] : [-1, -1];
          };
          fill(
            kids.filter((c) => !Wj[c] && finite(Nj[c]!) && finite(Dj[c]!)),
            () => {
              const [a, b] = carried();
              if (a < 0) return [Math.max(needC, 1e-6), needN];
              return [Math.max(0, needC - b), Math.max(0, needN - a)];
            },
            (c) => [Math.max(cap(C(c)), 1e-6), cap(Nj[c]!)],
            (c) => Dj[c]!,
            takeNC
          );
        }
      }
    }
  }
  const states = withheld.map((w, j) => {
    const s = new Uint8Array(n);
    for (let v = 0; v < n; v++) s[v] = w[v] ? (primary[j]![v] ? PRIMARY : SECONDARY) : PUBLISHED;
    return s;
  });
  return {states, denominatorWithheld: dw, passes};
}
