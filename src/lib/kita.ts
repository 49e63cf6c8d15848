/** Kita coverage against the city's target, per area: places, children, coverage, missing places. */
import type {ValueRow} from "../components/types.js";

export interface KitaGap {
  area_id: string;
  name: string;
  places: number | null;
  children: number | null;
  coverage: number | null;
  target: number;
  /** max(0, ceil(target × children) − places); null when the cell is suppressed or missing. */
  missing: number | null;
  suppressed: boolean;
  synthetic: boolean;
}

export function missingPlaces(places: number, children: number, target: number): number {
  // round the target demand up to whole places; a tiny tolerance keeps 0.45 × 200 = 90 at 90
  return Math.max(0, Math.ceil(target * children - 1e-9) - places);
}

export function kitaGaps(rows: readonly ValueRow[], target: number | undefined): KitaGap[] {
  const t = target ?? 0;
  return rows
    .map((r) => ({
      area_id: r.area_id,
      name: r.name,
      places: r.numerator,
      children: r.denominator,
      coverage: r.rate,
      target: t,
      missing: r.numerator === null || r.denominator === null ? null : missingPlaces(r.numerator, r.denominator, t),
      suppressed: r.suppressed !== null,
      synthetic: r.synthetic
    }))
    .sort((a, b) => (b.missing ?? -1) - (a.missing ?? -1) || a.name.localeCompare(b.name, "de"));
}
