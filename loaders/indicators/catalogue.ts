/** The indicator catalogue (catalogue.json): types, loading and checks. */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";

export type IndicatorKind = "proportion" | "ratio" | "per_capita";

export interface IndicatorDefinition {
  id: string;
  title: string;
  short_title: string;
  definition: string;
  topic: string;
  /** Fact view at the lowest area level the aggregates run over (see facts.ts). */
  source_view: "seu_facts" | "input_facts" | "kita_facts" | "funding_facts" | "reach_facts";
  /** DuckDB aggregate expressions over source_view. */
  numerator: string;
  denominator: string;
  /**
   * The population the denominator counts, shared by indicators (small-number protection treats
   * equal denominators of the same cell as one table cell, docs/methods.md §10).
   */
  denominator_cell: string;
  /** denominator = denominator_scale × the cell (births = children 0–3 / 3); default 1. */
  denominator_scale?: number;
  /** The numerator is public elsewhere (Kita places, € of the funding lists, reach): only the denominator is protected. */
  numerator_public: boolean;
  numerator_label: string;
  denominator_label: string;
  /** proportion: part of a whole (Wilson interval); ratio: may exceed 1 (coverage, reach); per_capita: € per person. */
  kind: IndicatorKind;
  unit: "%" | "€";
  /** +1: higher value = more need; −1: higher value = less need; 0: no direction (not for the need index). */
  polarity: 1 | -1 | 0;
  /** Key of city.json kita_targets the value is compared with. */
  target?: "u3" | "ue3";
  source: string;
  life_phase: string;
  handlungsfeld: string[];
  /** Overrides of the city's small-number thresholds (null: use the city's). */
  min_cases: number | null;
  min_denominator: number | null;
  in_report: boolean;
  /**
   * The counts are stocks on a reference date (SGB II recipients on 31 December): consecutive
   * years count largely the same children, so a pooled multi-year value is not m independent
   * years and its interval is computed from the mean counts (docs/methods.md §4).
   */
  stock?: boolean;
}

const VIEWS = new Set(["seu_facts", "input_facts", "kita_facts", "funding_facts", "reach_facts"]);

/** Checks a catalogue; throws with the entry and field to fix. */
export function checkCatalogue(entries: IndicatorDefinition[]): IndicatorDefinition[] {
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    const where = `catalogue.json, Eintrag ${i + 1} (${e.id ?? "ohne id"})`;
    if (!/^[a-z][a-z0-9_]*$/.test(e.id ?? "")) throw new Error(`${where}: „id“ muss aus Kleinbuchstaben, Ziffern und _ bestehen`);
    if (seen.has(e.id)) throw new Error(`${where}: id ist doppelt`);
    seen.add(e.id);
    for (const key of ["title", "short_title", "definition", "topic", "numerator", "denominator", "source", "life_phase"] as const) {
      if (typeof e[key] !== "string" || e[key].trim() === "") throw new Error(`${where}: „${key}“ fehlt`);
    }
    if (!VIEWS.has(e.source_view)) throw new Error(`${where}: unbekannte source_view „${e.source_view}“`);
    if (!["proportion", "ratio", "per_capita"].includes(e.kind)) throw new Error(`${where}: „kind“ muss proportion, ratio oder per_capita sein`);
    if (![1, -1, 0].includes(e.polarity)) throw new Error(`${where}: „polarity“ muss 1, -1 oder 0 sein`);
    if (typeof e.denominator_cell !== "string" || !/^[a-z][a-z0-9_]*$/.test(e.denominator_cell)) throw new Error(`${where}: „denominator_cell“ fehlt oder ist ungültig`);
    if (e.denominator_scale !== undefined && !(typeof e.denominator_scale === "number" && e.denominator_scale > 0)) throw new Error(`${where}: „denominator_scale“ muss eine Zahl > 0 sein`);
    if (typeof e.numerator_public !== "boolean") throw new Error(`${where}: „numerator_public“ muss true oder false sein`);
    if (e.stock !== undefined && typeof e.stock !== "boolean") throw new Error(`${where}: „stock“ muss true oder false sein`);
    if (/;|--|\/\*/.test(e.numerator + e.denominator)) throw new Error(`${where}: Zähler/Nenner dürfen nur einen Ausdruck enthalten`);
  }
  return entries;
}

let cached: {indicators: IndicatorDefinition[]; families: Map<string, string>} | undefined;

function loadRaw(): {indicators: IndicatorDefinition[]; families: Map<string, string>} {
  if (!cached) {
    const path = join(fileURLToPath(new URL(".", import.meta.url)), "catalogue.json");
    const raw = JSON.parse(readFileSync(path, "utf8")) as {indicators: IndicatorDefinition[]; denominator_families?: Record<string, unknown>};
    const indicators = checkCatalogue(raw.indicators);
    const families = new Map<string, string>();
    for (const [family, cells] of Object.entries(raw.denominator_families ?? {})) {
      if (family.startsWith("$")) continue;
      if (!Array.isArray(cells)) throw new Error(`catalogue.json: „denominator_families.${family}“ muss eine Liste sein`);
      for (const cell of cells) {
        if (families.has(String(cell))) throw new Error(`catalogue.json: Nennerzelle „${String(cell)}“ gehört zu zwei Familien`);
        families.set(String(cell), family);
      }
    }
    cached = {indicators, families};
  }
  return cached;
}

/** The project's indicator catalogue. */
export function loadCatalogue(): IndicatorDefinition[] {
  return loadRaw().indicators;
}

/**
 * The protection family of an indicator's denominator: denominators of one family describe the
 * same people (all school-entry indicators: the examined children; Kita, SGB II, € per child and
 * reach: the child population by age) and are withheld together. A cell not listed forms its own family.
 */
export function denominatorFamily(indicator: Pick<IndicatorDefinition, "denominator_cell">): string {
  return loadRaw().families.get(indicator.denominator_cell) ?? indicator.denominator_cell;
}

export function indicatorById(id: string): IndicatorDefinition | undefined {
  return loadCatalogue().find((i) => i.id === id);
}
