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
    if (/;|--|\/\*/.test(e.numerator + e.denominator)) throw new Error(`${where}: Zähler/Nenner dürfen nur einen Ausdruck enthalten`);
  }
  return entries;
}

let cached: IndicatorDefinition[] | undefined;

/** The project's indicator catalogue. */
export function loadCatalogue(): IndicatorDefinition[] {
  if (!cached) {
    const path = join(fileURLToPath(new URL(".", import.meta.url)), "catalogue.json");
    const raw = JSON.parse(readFileSync(path, "utf8")) as {indicators: IndicatorDefinition[]};
    cached = checkCatalogue(raw.indicators);
  }
  return cached;
}

export function indicatorById(id: string): IndicatorDefinition | undefined {
  return loadCatalogue().find((i) => i.id === id);
}
