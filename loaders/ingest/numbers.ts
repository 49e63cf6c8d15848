/**
 * Number cells as written by German municipal systems: "1.234,5", "12,5 %", "1.234 €", "€ 1.234,50",
 * "1 234,5", "-3,5", "+5", "1234.5" (decimal point, when the whole column uses it), and statistical
 * markers ("-", ".", "x", "/", "...", "*", "k.A.", …) which are kept as markers, never as numbers.
 */

/**
 * Statistical markers meaning "no value" (GENESIS / Destatis sign conventions plus common variants).
 * "-" means "nothing, exactly zero" in official statistics but is still a marker: a real zero is written "0".
 */
export const DEFAULT_MARKERS: readonly string[] = Object.freeze([
  "-",
  ".",
  "x",
  "X",
  "/",
  "...",
  "…",
  "*",
  "k.A.",
  "k. A.",
  "–",
  "—"
]);

export type Cell =
  | {kind: "number"; value: number}
  | {kind: "marker"; marker: string}
  | {kind: "empty"}
  | {kind: "invalid"; raw: string; reason: string};

export type DecimalStyle = "comma" | "point";

export interface ParseNumberOptions {
  /** Decimal separator of the column; default "comma" (German). */
  decimal?: DecimalStyle;
  /** Additional markers (e.g. "-9999" from city.json); DEFAULT_MARKERS always apply as well. */
  markers?: readonly string[];
}

export type NumberUnit = "percent" | "euro";

/** Space-like characters used as thousands separators: space, no-break space, narrow no-break space, thin space. */
const GROUP_SPACES = /[ \u00A0\u202F\u2009]/g;
const EURO = /^(?:Euro|EUR|€)\s*|\s*(?:Euro|EUR|€)$/i;
const PERCENT = /\s*%$/;

/** Trims like String.prototype.trim (which includes no-break spaces). */
function clean(raw: string): string {
  return raw.trim();
}

/** Unit written in the cell ("12,5 %" → "percent", "1.234 €" → "euro"), or null. */
export function detectUnit(raw: string): NumberUnit | null {
  const s = clean(raw);
  if (PERCENT.test(s)) return "percent";
  if (/^€|€$|^EUR\b|\bEUR$|\bEuro$/i.test(s)) return "euro";
  return null;
}

function isMarker(s: string, markers: readonly string[] | undefined): string | undefined {
  if (DEFAULT_MARKERS.includes(s)) return s;
  if (markers && markers.some((m) => m.trim() === s)) return s;
  return undefined;
}

interface Stripped {
  sign: 1 | -1;
  body: string;
}

/** Removes unit, sign and space-like thousands separators. Returns undefined if nothing number-like is left. */
function strip(s: string): Stripped | undefined {
  let t = s;
  t = t.replace(PERCENT, "");
  t = t.replace(EURO, "").trim();
  // "€ -5" and "-5 €" are both possible; percent may also precede the euro removal result
  t = t.replace(PERCENT, "").trim();
  let sign: 1 | -1 = 1;
  const m = /^([+\-\u2212])\s*/.exec(t);
  if (m) {
    sign = m[1] === "+" ? 1 : -1;
    t = t.slice(m[0].length);
  }
  // a currency sign after the minus: "-€ 5"
  t = t.replace(EURO, "").trim();
  if (t === "") return undefined;
  return {sign, body: t};
}

const COMMA_PLAIN = /^(?:\d+(?:,\d+)?|,\d+)$/;
const COMMA_GROUPED = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;
const POINT_PLAIN = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const POINT_GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const SPACE_GROUPED = /^\d{1,3}(?: \d{3})+$/;

function spaceGroupedToPlain(body: string, decimal: DecimalStyle): string | undefined {
  // "1 234,5": integer part grouped by spaces, then an optional fraction
  const sep = decimal === "comma" ? "," : ".";
  const [intPart, frac, ...rest] = body.split(sep);
  if (rest.length > 0 || intPart === undefined) return undefined;
  if (!SPACE_GROUPED.test(intPart)) return undefined;
  if (frac !== undefined && !/^\d+$/.test(frac)) return undefined;
  return intPart.replace(/ /g, "") + (frac !== undefined ? sep + frac : "");
}

export function parseNumber(raw: string, options: ParseNumberOptions = {}): Cell {
  const decimal = options.decimal ?? "comma";
  const s = clean(raw);
  if (s === "") return {kind: "empty"};
  const marker = isMarker(s, options.markers);
  if (marker !== undefined) return {kind: "marker", marker};

  const stripped = strip(s);
  if (!stripped) return {kind: "invalid", raw, reason: "kein Zahlenwert (nur Einheit oder Vorzeichen)"};
  let body = stripped.body.replace(GROUP_SPACES, " ");
  if (body.includes(" ")) {
    const plain = spaceGroupedToPlain(body, decimal);
    if (plain === undefined) {
      return {
        kind: "invalid",
        raw,
        reason: "Leerzeichen sind nur als Tausendertrennzeichen vor Dreiergruppen erlaubt (z. B. „1 234,5“)"
      };
    }
    body = plain;
  }

  let normalized: string | undefined;
  if (decimal === "comma") {
    if (COMMA_PLAIN.test(body)) normalized = body.replace(",", ".");
    else if (COMMA_GROUPED.test(body)) normalized = body.replace(/\./g, "").replace(",", ".");
  } else {
    if (POINT_PLAIN.test(body)) normalized = body;
    else if (POINT_GROUPED.test(body)) normalized = body.replace(/,/g, "");
  }
  if (normalized === undefined) return {kind: "invalid", raw, reason: invalidReason(body, decimal)};
  const value = stripped.sign * Number(normalized);
  if (!Number.isFinite(value)) return {kind: "invalid", raw, reason: "Zahl ist zu groß"};
  // avoid -0 for "-0"
  return {kind: "number", value: value === 0 ? 0 : value};
}

function invalidReason(body: string, decimal: DecimalStyle): string {
  if (!/\d/.test(body)) return "keine Zahl";
  if (/[^\d.,]/.test(body)) return "enthält Zeichen, die in einer Zahl nicht vorkommen dürfen";
  if (decimal === "comma") {
    if (/^\d+\.\d{1,2}$|^\d+\.\d{4,}$/.test(body)) {
      return "Dezimalpunkt in einer Spalte mit Dezimalkomma – bitte „,“ als Dezimalzeichen verwenden";
    }
    return "Tausenderpunkte und Dezimalkomma passen nicht zusammen (erwartet z. B. „1.234,5“)";
  }
  if (/^\d+,\d+$/.test(body)) {
    return "Dezimalkomma in einer Spalte mit Dezimalpunkt – bitte ein einheitliches Dezimalzeichen verwenden";
  }
  return "Tausendertrennzeichen und Dezimalpunkt passen nicht zusammen (erwartet z. B. „1234.5“)";
}

type Evidence = "comma" | "point" | "ambiguous" | "none";

/** What a single value says about the decimal separator of its column. */
function evidence(raw: string): Evidence {
  const s = clean(raw);
  if (s === "" || DEFAULT_MARKERS.includes(s)) return "none";
  const stripped = strip(s);
  if (!stripped) return "none";
  const body = stripped.body.replace(GROUP_SPACES, "");
  if (!/^[\d.,]+$/.test(body) || !/\d/.test(body)) return "none";
  const lastComma = body.lastIndexOf(",");
  const lastPoint = body.lastIndexOf(".");
  if (lastComma >= 0 && lastPoint >= 0) return lastComma > lastPoint ? "comma" : "point";
  if (lastComma >= 0) {
    const commas = body.split(",").length - 1;
    if (commas > 1) return "point"; // "1,234,567": commas can only be thousands separators
    return /^\d{1,3},\d{3}$/.test(body) ? "ambiguous" : "comma";
  }
  if (lastPoint >= 0) {
    const points = body.split(".").length - 1;
    if (points > 1) return "comma"; // "1.234.567": points can only be thousands separators
    return /^\d{1,3}\.\d{3}$/.test(body) ? "ambiguous" : "point";
  }
  return "none";
}

/**
 * Decides the decimal separator of one column from all its values.
 * A value is evidence for "comma" if its last separator is a comma (or a single comma not followed by exactly
 * three digits), for "point" likewise; "1.234" and "1,234" alone are ambiguous. The majority of the evidence
 * wins; without evidence (only integers or ambiguous values) or on a tie the German default "comma" applies.
 */
export function detectDecimalStyle(values: string[]): DecimalStyle {
  let comma = 0;
  let point = 0;
  for (const v of values) {
    const e = evidence(v);
    if (e === "comma") comma++;
    else if (e === "point") point++;
  }
  return point > comma ? "point" : "comma";
}

/** detectDecimalStyle over distinct values with their number of occurrences (same result as over the full list). */
export function detectDecimalStyleCounted(entries: Iterable<readonly [string, number]>): DecimalStyle {
  let comma = 0;
  let point = 0;
  for (const [v, n] of entries) {
    const e = evidence(v);
    if (e === "comma") comma += n;
    else if (e === "point") point += n;
  }
  return point > comma ? "point" : "comma";
}
