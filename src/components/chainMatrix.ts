/**
 * The Präventionskette matrix: life phases (rows, from pregnancy to 16–27) by the
 * Handlungsfelder I–VII of kinderstark NRW (columns). Cell text = number of measures,
 * fill = money (binned, white for 0 €), gaps outlined in orange-red and labelled
 * "Lücke" (so they do not depend on colour).
 */
import * as Plot from "@observablehq/plot";
import {plot, chartWidth} from "./plot.js";
import * as d3 from "d3";
import {html, resolveDocument} from "./dom.js";
import {formatEuro, formatEuroCompact} from "./format.js";
import {swatchLegend, thresholdItems, type LegendItem} from "./legend.js";
import {GAP_STROKE, sequentialColors, textColorFor} from "./palettes.js";

/** One cell of the matrix. */
export interface ChainCell {
  /** "schwangerschaft", "0-3", …, "16-27" (or their labels). */
  life_phase: string;
  /** "I" … "VII" (or 1 … 7). */
  handlungsfeld: string;
  measures: number;
  /** € in the cell; null where the area's money is withheld (its child population is protected). */
  amount: number | null;
  gap: boolean;
}

/** Options of chainMatrix(). */
export interface ChainMatrixOptions {
  /** Width in px; default 760. */
  width?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

/** Life phases in order: key and German label. */
export const LIFE_PHASES = [
  {key: "schwangerschaft", label: "Schwangerschaft und Geburt"},
  {key: "0-3", label: "0–3"},
  {key: "3-6", label: "3–6"},
  {key: "6-10", label: "6–10"},
  {key: "10-16", label: "10–16"},
  {key: "16-27", label: "16–27"}
] as const;

/** Handlungsfelder I–VII with short German names (and their line breaks for the column heads). */
export const HANDLUNGSFELDER = [
  {key: "I", label: "Partizipation", lines: ["Partizipation"]},
  {key: "II", label: "Aufsuchende Arbeit, Beratung", lines: ["Aufsuchende", "Arbeit,", "Beratung"]},
  {key: "III", label: "Inklusion", lines: ["Inklusion"]},
  {key: "IV", label: "Integration", lines: ["Integration"]},
  {key: "V", label: "Frühe Hilfen, Gesundheit", lines: ["Frühe Hilfen,", "Gesundheit"]},
  {key: "VI", label: "Bildung", lines: ["Bildung"]},
  {key: "VII", label: "Öffentlichkeitsarbeit", lines: ["Öffentlich-", "keitsarbeit"]}
] as const;

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"];

/** Normalises a life phase ("0–3", "0-3 Jahre", "Schwangerschaft und Geburt") to its key, or null. */
export function lifePhaseKey(value: string): string | null {
  const v = value.trim().toLowerCase().replace(/[–—]/g, "-").replace(/\s*jahre?$/, "").replace(/\s+/g, "");
  if (v.startsWith("schwangerschaft") || v === "geburt" || v === "-1-0") return "schwangerschaft";
  return LIFE_PHASES.find((p) => p.key === v)?.key ?? null;
}

/** Normalises a Handlungsfeld ("V", "5", "v") to its Roman numeral, or null. */
export function handlungsfeldKey(value: string): string | null {
  const v = value.trim().toUpperCase();
  if (ROMAN.includes(v)) return v;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 7 ? (ROMAN[n - 1] ?? null) : null;
}

interface Cell {
  phase: string;
  field: string;
  measures: number;
  amount: number | null;
  gap: boolean;
  fill: string;
  text: string;
}

/** The matrix heatmap; returns <div class="cn-chain"> (legend + svg). */
export function chainMatrix(cells: readonly ChainCell[], options: ChainMatrixOptions = {}): HTMLDivElement {
  const document = resolveDocument(options.document);
  const width = chartWidth(options.width, 760);
  const byKey = new Map<string, ChainCell>();
  for (const c of cells) {
    const phase = lifePhaseKey(c.life_phase);
    const field = handlungsfeldKey(c.handlungsfeld);
    if (!phase || !field) continue;
    const key = `${phase}|${field}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? {...prev, measures: prev.measures + c.measures, amount: prev.amount === null || c.amount === null ? null : prev.amount + c.amount, gap: prev.gap || c.gap} : {...c, life_phase: phase, handlungsfeld: field});
  }
  const amounts = Array.from(byKey.values(), (c) => c.amount).filter((a): a is number => a !== null && a > 0);
  const [min, max] = d3.extent(amounts);
  const thresholds = min !== undefined && max !== undefined && max > min ? d3.ticks(min, max, 4).filter((t) => t > min && t < max) : [];
  // skip the lightest step so that small amounts stay distinguishable from 0 € (white)
  const colors = sequentialColors(thresholds.length + 2).slice(1);
  const scale = d3.scaleThreshold<number, string>().domain(thresholds).range(colors);

  const data: Cell[] = LIFE_PHASES.flatMap((p) =>
    HANDLUNGSFELDER.map((f) => {
      const c = byKey.get(`${p.key}|${f.key}`);
      const amount = c ? c.amount : 0;
      const fill = amount !== null && amount > 0 ? scale(amount) : "#ffffff";
      return {phase: p.key, field: f.key, measures: c?.measures ?? 0, amount, gap: c?.gap ?? false, fill, text: textColorFor(fill)};
    })
  );
  const phaseLabel = new Map<string, string>(LIFE_PHASES.map((p) => [p.key, p.label]));
  const phaseHead = (k: string) => (k === "schwangerschaft" ? "Schwangerschaft\nund Geburt" : (phaseLabel.get(k) ?? k));
  const fieldLabel = new Map<string, string>(HANDLUNGSFELDER.map((f) => [f.key, f.label]));
  const fieldHead = new Map<string, string>(HANDLUNGSFELDER.map((f) => [f.key, [f.key, ...f.lines].join("\n")]));
  const title = (c: Cell) =>
    `Lebensphase ${phaseLabel.get(c.phase)}, Handlungsfeld ${c.field} ${fieldLabel.get(c.field)}\n${c.measures} ${c.measures === 1 ? "Maßnahme" : "Maßnahmen"}, ${c.amount === null ? "Betrag geheim (kleine Fallzahl)" : formatEuro(c.amount)}${c.gap ? "\nLücke" : ""}`;
  const cellWidth = Math.max(70, Math.floor((width - 140) / HANDLUNGSFELDER.length));

  const chart = plot({
    document,
    width: 140 + cellWidth * HANDLUNGSFELDER.length,
    height: 64 + LIFE_PHASES.length * 52,
    marginLeft: 140,
    marginTop: 64,
    marginBottom: 0,
    marginRight: 0,
    x: {type: "band", domain: HANDLUNGSFELDER.map((f) => f.key), axis: "top", tickSize: 0, label: null, tickFormat: (k: string) => fieldHead.get(k) ?? k},
    y: {type: "band", domain: LIFE_PHASES.map((p) => p.key), tickSize: 0, label: null, tickFormat: phaseHead},
    ariaLabel: "Präventionskette: Maßnahmen nach Lebensphase und Handlungsfeld",
    marks: [
      Plot.cell(data, {x: "field", y: "phase", fill: (c: Cell) => c.fill, stroke: "#c4c4c4", inset: 1, title, className: "cn-cells"}),
      Plot.cell(data.filter((c) => c.gap), {x: "field", y: "phase", fill: "none", stroke: GAP_STROKE, strokeWidth: 3, inset: 3, className: "cn-gaps", ariaHidden: "true"}),
      Plot.text(data, {
        x: "field",
        y: "phase",
        text: (c: Cell) => (c.gap ? `${c.measures}\nLücke` : String(c.measures)),
        fill: (c: Cell) => c.text,
        fontSize: 12,
        title,
        className: "cn-cell-labels"
      })
    ]
  });

  const items: LegendItem[] = [
    {label: "0 €", fill: "#ffffff", stroke: "#c4c4c4"},
    ...(amounts.length ? (thresholds.length ? thresholdItems(thresholds, colors, formatEuroCompact) : [{label: "alle Beträge über 0 €", fill: colors[0], stroke: "#767676"}]) : []),
    {label: "Lücke", kind: "rect", fill: "#ffffff", stroke: GAP_STROKE, strokeWidth: 3}
  ];
  const legend = swatchLegend(items, {title: "Fördermittel (Farbe); Zahl = Anzahl der Maßnahmen", document});
  return html(document, "div", {class: "cn-chain"}, legend, chart);
}
