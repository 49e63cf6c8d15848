/**
 * Prevention chain matrix (Präventionskette: Lebensphasen × Handlungsfelder) and the
 * detection of breaks and gaps ("Brüche und Lücken") for the city and per area.
 *
 * Counting: a measure assigned to several cells counts fully in each of them for the number
 * of measures; its money is split equally over its cells (|Handlungsfelder| × |Lebensphasen|),
 * so money adds up to the measure's amount over the matrix. Per area the measure's money in
 * that area (area_amounts, e.g. from measure_allocation; else an equal split over the areas
 * it serves) is split the same way.
 *
 * Gaps (only areas with high need, default classes 3–4, and only relevant cells):
 *   Bruch (phase gap): no measure serves the area (city: no measure at all) in a life phase;
 *   Lücke (cell gap):  no measure serves the area (city: no measure at all) in a relevant cell
 *                      of a life phase that is not already a phase gap.
 * Cross-cutting measures (Querschnittsaufgaben, default: assigned to all seven
 * Handlungsfelder, like the Geschäftsstelle) appear in the matrix but do not close gaps.
 * Documented in docs/methods.md (section 11).
 */
import {compareAreaIds, formatEuro} from "./common.ts";

export const LIFE_PHASES = ["schwangerschaft", "0-3", "3-6", "6-10", "10-16", "16-27"] as const;
export type LifePhase = (typeof LIFE_PHASES)[number];

export const HANDLUNGSFELDER = ["I", "II", "III", "IV", "V", "VI", "VII"] as const;
export type Handlungsfeld = (typeof HANDLUNGSFELDER)[number];

export const LIFE_PHASE_LABELS: Record<LifePhase, string> = {
  schwangerschaft: "Schwangerschaft und Geburt",
  "0-3": "0 bis unter 3 Jahre",
  "3-6": "3 bis unter 6 Jahre",
  "6-10": "6 bis unter 10 Jahre",
  "10-16": "10 bis unter 16 Jahre",
  "16-27": "16 bis unter 27 Jahre"
};

export const HANDLUNGSFELD_LABELS: Record<Handlungsfeld, string> = {
  I: "Partizipation",
  II: "Aufsuchende Arbeit, Aufklärung und Beratung",
  III: "Inklusion",
  IV: "Integration",
  V: "Frühe Hilfen, Gesundheit, Bewegung und Ernährung",
  VI: "Bildung",
  VII: "Öffentlichkeitsarbeit"
};

export type RelevanceMatrix = Record<Handlungsfeld, readonly LifePhase[]>;

/**
 * Default relevance: in which life phases a Handlungsfeld is expected to have offers, derived
 * from the Bochum Strategie- und Handlungsprogramm (Stand 05.02.2024), section 3.3. The reasons
 * (German, for the methods page) are in RELEVANCE_REASONS.
 */
export const DEFAULT_RELEVANCE: RelevanceMatrix = {
  I: ["3-6", "6-10", "10-16", "16-27"],
  II: ["schwangerschaft", "0-3", "3-6", "6-10", "10-16", "16-27"],
  III: ["0-3", "3-6", "6-10", "10-16", "16-27"],
  IV: ["0-3", "3-6", "6-10", "10-16", "16-27"],
  V: ["schwangerschaft", "0-3", "3-6", "6-10", "10-16"],
  VI: ["0-3", "3-6", "6-10", "10-16", "16-27"],
  VII: []
};

export const RELEVANCE_REASONS: Record<Handlungsfeld, string> = {
  I:
    "Beteiligung setzt im Programm an Kita-Elternbeiräten (Jugendamtselternbeirat), Bildungs- und Erziehungspartnerschaften in Kitas und Schulen, " +
    "Schülervertretungen, Schulpflegschaften und dem Kinder- und Jugendring an (Abschn. 3.3.2) – also ab dem Kita-Alter. " +
    "Eltern von Säuglingen und werdende Eltern werden über die Handlungsfelder II und V erreicht.",
  II:
    "Aufsuchende Arbeit reicht von Begrüßungsteam und Babylotsen (rund um die Geburt) über Kita-Start und Schulstart, Kita- und Schulsozialarbeit " +
    "bis zum Kinder- und Jugendschutz und richtet sich an alle Altersgruppen (Abschn. 3.3.3).",
  III:
    "Inklusion beginnt mit medizinischen und heilpädagogischen Hilfen am Beginn der Präventionskette und betrifft Bildung, Schule und Jugendhilfe " +
    "(Abschn. 3.3.4); Beratung in der Schwangerschaft ist den Handlungsfeldern II und V zugeordnet.",
  IV:
    "Integration wird genannt für Brückenprojekte in der Kindertagesbetreuung, freizeitpädagogische Maßnahmen, Familienbildung und Sprachförderung " +
    "(Abschn. 3.3.5) – von der frühen Kindheit bis ins junge Erwachsenenalter.",
  V:
    "Frühe Hilfen gelten ab der Schwangerschaft bis 3 (angedacht bis unter 6) Jahre; Gesundheitsförderung, Bewegung und Ernährung betreffen " +
    "„Kinder/Jugendliche“ in der Wachstumsphase, mit Kitas, Schulen und Sportvereinen (Abschn. 3.3.6). Für 16 bis unter 27 Jahre nennt das Programm hier nichts.",
  VI:
    "Frühkindliche Bildung ab der Geburt, dann die Übergänge Kita–Grundschule, Grundschule–weiterführende Schule und Schule–Ausbildung/Studium " +
    "(Abschn. 3.3.7); in der Schwangerschaft gibt es keine Bildungsangebote im Sinne des Programms.",
  VII:
    "Öffentlichkeitsarbeit ist eine Querschnittsaufgabe für die ganze Präventionskette (Abschn. 3.8); ein Fehlen im einzelnen Gebiet und in " +
    "der einzelnen Lebensphase ist keine Lücke im Angebot."
};

export interface ChainMeasure {
  measure_id: string | number;
  year: number;
  measure: string;
  amount_eur: number;
  status: string;
  handlungsfeld: readonly string[];
  life_phases: readonly string[];
  /** Lowest-level (or chosen level) area ids the measure serves; ["stadtweit"] = every area. */
  areas: readonly string[];
  /** € per served area (e.g. from measure_allocation); default: equal split over `areas`. */
  area_amounts?: Readonly<Record<string, number>>;
}

export interface ChainArea {
  area_id: string;
  name?: string;
  need_class: number | null;
}

export interface ChainOptions {
  /** Only measures of this year (required when the measures span several years). */
  year?: number;
  /** Only measures with one of these statuses (default: all given). */
  statuses?: readonly string[];
  /** Relevance per Handlungsfeld (overrides DEFAULT_RELEVANCE field by field). */
  relevance?: Partial<RelevanceMatrix>;
  /** Need classes counted as high need (default [3, 4]). */
  highNeedClasses?: readonly number[];
  /** Measures with at least this many Handlungsfelder are cross-cutting and close no gap (default 7; 8 = never). */
  crossCuttingMinFields?: number;
}

export interface CellMeasure {
  measure_id: string | number;
  measure: string;
  cross_cutting: boolean;
}

export interface ChainCell {
  life_phase: LifePhase;
  handlungsfeld: Handlungsfeld;
  relevant: boolean;
  measures: CellMeasure[];
  /** Number of measures in the cell (each counts fully). */
  count: number;
  /** Money in the cell: each measure's (area) amount ÷ its number of cells. */
  amount_eur: number;
}

export interface ChainTotal {
  key: string;
  /** Distinct measures. */
  count: number;
  amount_eur: number;
}

export interface ChainMatrix {
  area_id: string | null;
  name: string;
  need_class: number | null;
  /** 42 cells, life phase by life phase (LIFE_PHASES order), Handlungsfelder I–VII within. */
  cells: ChainCell[];
  phase_totals: ChainTotal[];
  field_totals: ChainTotal[];
  measure_count: number;
  amount_eur: number;
}

export type GapKind = "phase" | "cell";

export interface ChainGap {
  /** "phase": Bruch – a whole life phase without measures; "cell": Lücke – a relevant cell without measures. */
  kind: GapKind;
  scope: "city" | "area";
  area_id: string | null;
  area_name: string | null;
  need_class: number | null;
  life_phase: LifePhase;
  handlungsfeld: Handlungsfeld | null;
  /** Area gaps: true when the city has no (non-cross-cutting) measure there either. */
  also_city_gap: boolean;
  /** Area gaps: measures of this phase/cell serving other areas. */
  measures_elsewhere: number;
  /** German sentence. */
  sentence: string;
}

export interface ChainResult {
  year: number | null;
  city: ChainMatrix;
  areas: ChainMatrix[];
  gaps: ChainGap[];
  relevance: RelevanceMatrix;
  cross_cutting: CellMeasure[];
  warnings: string[];
}

const PHASE_SET = new Set<string>(LIFE_PHASES);
const FIELD_SET = new Set<string>(HANDLUNGSFELDER);

function isPhase(v: string): v is LifePhase {
  return PHASE_SET.has(v);
}
function isField(v: string): v is Handlungsfeld {
  return FIELD_SET.has(v);
}

interface PreparedMeasure {
  source: ChainMeasure;
  fields: Handlungsfeld[];
  phases: LifePhase[];
  areaAmounts: Map<string, number>;
  crossCutting: boolean;
}

function emptyMatrix(areaId: string | null, name: string, needClass: number | null, relevance: RelevanceMatrix): ChainMatrix {
  const cells: ChainCell[] = [];
  for (const p of LIFE_PHASES) {
    for (const h of HANDLUNGSFELDER) cells.push({life_phase: p, handlungsfeld: h, relevant: relevance[h].includes(p), measures: [], count: 0, amount_eur: 0});
  }
  return {area_id: areaId, name, need_class: needClass, cells, phase_totals: [], field_totals: [], measure_count: 0, amount_eur: 0};
}

function cellIndex(p: LifePhase, h: Handlungsfeld): number {
  return LIFE_PHASES.indexOf(p) * HANDLUNGSFELDER.length + HANDLUNGSFELDER.indexOf(h);
}

function addMeasure(matrix: ChainMatrix, m: PreparedMeasure, amount: number): void {
  const share = amount / (m.fields.length * m.phases.length);
  for (const p of m.phases) {
    for (const h of m.fields) {
      const cell = matrix.cells[cellIndex(p, h)]!;
      cell.measures.push({measure_id: m.source.measure_id, measure: m.source.measure, cross_cutting: m.crossCutting});
      cell.count++;
      cell.amount_eur += share;
    }
  }
}

function finishTotals(matrix: ChainMatrix, measures: readonly {m: PreparedMeasure; amount: number}[]): void {
  matrix.phase_totals = LIFE_PHASES.map((p) => {
    const list = measures.filter(({m}) => m.phases.includes(p));
    return {key: p, count: list.length, amount_eur: list.reduce((s, {m, amount}) => s + amount / m.phases.length, 0)};
  });
  matrix.field_totals = HANDLUNGSFELDER.map((h) => {
    const list = measures.filter(({m}) => m.fields.includes(h));
    return {key: h, count: list.length, amount_eur: list.reduce((s, {m, amount}) => s + amount / m.fields.length, 0)};
  });
  matrix.measure_count = measures.length;
  matrix.amount_eur = measures.reduce((s, {amount}) => s + amount, 0);
}

const plural = (n: number): string => `${n} ${n === 1 ? "Maßnahme" : "Maßnahmen"}`;

/** Builds the city and area matrices and the gap records. */
export function preventionChain(measures: readonly ChainMeasure[], areas: readonly ChainArea[], options: ChainOptions = {}): ChainResult {
  const relevance: RelevanceMatrix = {...DEFAULT_RELEVANCE, ...options.relevance};
  for (const h of HANDLUNGSFELDER) {
    for (const p of relevance[h]) if (!isPhase(p)) throw new RangeError(`Relevanz: unbekannte Lebensphase „${p}“ bei Handlungsfeld ${h}`);
  }
  const high = new Set(options.highNeedClasses ?? [3, 4]);
  const crossMin = options.crossCuttingMinFields ?? HANDLUNGSFELDER.length;
  const warnings: string[] = [];
  const areaIds = new Set<string>();
  for (const a of areas) {
    if (areaIds.has(a.area_id)) throw new RangeError(`Präventionskette: Gebiet „${a.area_id}“ kommt mehrfach vor`);
    areaIds.add(a.area_id);
  }
  let selected = measures.filter((m) => (options.year === undefined || m.year === options.year) && (!options.statuses || options.statuses.includes(m.status)));
  const years = [...new Set(selected.map((m) => m.year))];
  if (options.year === undefined && years.length > 1) {
    throw new RangeError(`Präventionskette: Maßnahmen aus mehreren Jahren (${years.sort((a, b) => a - b).join(", ")}) – bitte ein Jahr wählen`);
  }
  selected = [...selected].sort((a, b) => compareAreaIds(String(a.measure_id), String(b.measure_id)));

  const prepared: PreparedMeasure[] = selected.map((m) => {
    const label = `Maßnahme „${m.measure}“ (${m.measure_id})`;
    const fields = [...new Set(m.handlungsfeld)];
    const phases = [...new Set(m.life_phases)];
    for (const h of fields) if (!isField(h)) throw new RangeError(`${label}: unbekanntes Handlungsfeld „${h}“ (erlaubt: I–VII)`);
    for (const p of phases) if (!isPhase(p)) throw new RangeError(`${label}: unbekannte Lebensphase „${p}“`);
    if (fields.length === 0 || phases.length === 0) throw new RangeError(`${label}: ohne Handlungsfeld oder Lebensphase`);
    if (!Number.isFinite(m.amount_eur) || m.amount_eur < 0) throw new RangeError(`${label}: Betrag ${String(m.amount_eur)} ist keine Zahl ≥ 0`);
    const served = m.areas.includes("stadtweit") ? [...areaIds] : [...new Set(m.areas)];
    const unknown = served.filter((a) => !areaIds.has(a));
    if (unknown.length) warnings.push(`${label}: Gebiete ohne Bedarfsangabe werden in der Gebietsansicht nicht gezeigt: ${unknown.sort(compareAreaIds).join(", ")}`);
    const areaAmounts = new Map<string, number>();
    if (m.area_amounts) {
      for (const a of served) areaAmounts.set(a, m.area_amounts[a] ?? 0);
      const sum = [...areaAmounts.values()].reduce((s, v) => s + v, 0);
      if (Math.abs(sum - m.amount_eur) > 0.5) warnings.push(`${label}: die Beträge je Gebiet (${formatEuro(sum)}) ergeben nicht den Gesamtbetrag (${formatEuro(m.amount_eur)})`);
    } else {
      for (const a of served) areaAmounts.set(a, m.amount_eur / served.length);
    }
    return {source: m, fields: fields as Handlungsfeld[], phases: phases as LifePhase[], areaAmounts, crossCutting: fields.length >= crossMin};
  });

  const city = emptyMatrix(null, "Stadt", null, relevance);
  for (const m of prepared) addMeasure(city, m, m.source.amount_eur);
  finishTotals(city, prepared.map((m) => ({m, amount: m.source.amount_eur})));

  const sortedAreas = [...areas].sort((a, b) => compareAreaIds(a.area_id, b.area_id));
  const areaMatrices = sortedAreas.map((a) => {
    const matrix = emptyMatrix(a.area_id, a.name ?? a.area_id, a.need_class, relevance);
    const serving = prepared.filter((m) => m.areaAmounts.has(a.area_id)).map((m) => ({m, amount: m.areaAmounts.get(a.area_id)!}));
    for (const {m, amount} of serving) addMeasure(matrix, m, amount);
    finishTotals(matrix, serving);
    return matrix;
  });

  // ---- gaps
  const closing = prepared.filter((m) => !m.crossCutting);
  const phaseHasRelevantField = (p: LifePhase): boolean => HANDLUNGSFELDER.some((h) => relevance[h].includes(p));
  const cityPhase = (p: LifePhase): PreparedMeasure[] => closing.filter((m) => m.phases.includes(p));
  const cityCell = (p: LifePhase, h: Handlungsfeld): PreparedMeasure[] => closing.filter((m) => m.phases.includes(p) && m.fields.includes(h));
  const crossIn = (p: LifePhase): boolean => prepared.some((m) => m.crossCutting && m.phases.includes(p));
  const phaseLabel = (p: LifePhase): string => `„${LIFE_PHASE_LABELS[p]}“`;
  const fieldLabel = (h: Handlungsfeld): string => `Handlungsfeld ${h} (${HANDLUNGSFELD_LABELS[h]})`;
  const crossNote = " Querschnittsaufgaben (z. B. die Geschäftsstelle) zählen hier nicht als Angebot.";
  const gaps: ChainGap[] = [];

  for (const p of LIFE_PHASES) {
    if (!phaseHasRelevantField(p)) continue;
    if (cityPhase(p).length === 0) {
      gaps.push({
        kind: "phase", scope: "city", area_id: null, area_name: null, need_class: null, life_phase: p, handlungsfeld: null, also_city_gap: true, measures_elsewhere: 0,
        sentence: `Bruch in der Präventionskette: In der Lebensphase ${phaseLabel(p)} gibt es stadtweit keine Maßnahme.${crossIn(p) ? crossNote : ""}`
      });
      continue;
    }
    for (const h of HANDLUNGSFELDER) {
      if (!relevance[h].includes(p) || cityCell(p, h).length > 0) continue;
      gaps.push({
        kind: "cell", scope: "city", area_id: null, area_name: null, need_class: null, life_phase: p, handlungsfeld: h, also_city_gap: true, measures_elsewhere: 0,
        sentence: `Lücke: In der Lebensphase ${phaseLabel(p)} gibt es im ${fieldLabel(h)} stadtweit keine Maßnahme.`
      });
    }
  }

  const highAreas = sortedAreas
    .filter((a) => a.need_class !== null && high.has(a.need_class))
    .sort((a, b) => (b.need_class ?? 0) - (a.need_class ?? 0) || compareAreaIds(a.area_id, b.area_id));
  for (const a of highAreas) {
    const name = a.name ?? a.area_id;
    const who = `Gebiet „${name}“ (Bedarfsklasse ${a.need_class})`;
    const serves = (m: PreparedMeasure): boolean => m.areaAmounts.has(a.area_id);
    for (const p of LIFE_PHASES) {
      if (!phaseHasRelevantField(p)) continue;
      const inPhase = cityPhase(p);
      if (!inPhase.some(serves)) {
        const elsewhere = inPhase.length;
        gaps.push({
          kind: "phase", scope: "area", area_id: a.area_id, area_name: name, need_class: a.need_class, life_phase: p, handlungsfeld: null,
          also_city_gap: elsewhere === 0, measures_elsewhere: elsewhere,
          sentence:
            `Bruch in der Präventionskette: ${who} wird in der Lebensphase ${phaseLabel(p)} von keiner Maßnahme erreicht.` +
            (elsewhere === 0 ? " Auch stadtweit gibt es in dieser Lebensphase keine Maßnahme." : ` In anderen Gebieten gibt es in dieser Lebensphase ${plural(elsewhere)}.`)
        });
        continue;
      }
      for (const h of HANDLUNGSFELDER) {
        if (!relevance[h].includes(p)) continue;
        const inCell = cityCell(p, h);
        if (inCell.some(serves)) continue;
        const elsewhere = inCell.length;
        gaps.push({
          kind: "cell", scope: "area", area_id: a.area_id, area_name: name, need_class: a.need_class, life_phase: p, handlungsfeld: h,
          also_city_gap: elsewhere === 0, measures_elsewhere: elsewhere,
          sentence:
            `Lücke: ${who} wird in der Lebensphase ${phaseLabel(p)} im ${fieldLabel(h)} von keiner Maßnahme erreicht.` +
            (elsewhere === 0 ? " Auch stadtweit gibt es hier keine Maßnahme." : ` In anderen Gebieten gibt es hier ${plural(elsewhere)}.`)
        });
      }
    }
  }

  const crossCutting = prepared.filter((m) => m.crossCutting).map((m) => ({measure_id: m.source.measure_id, measure: m.source.measure, cross_cutting: true}));
  return {year: options.year ?? years[0] ?? null, city, areas: areaMatrices, gaps, relevance, cross_cutting: crossCutting, warnings};
}
