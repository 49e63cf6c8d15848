/**
 * Column names: normalisation and matching against the contract's canonical names and aliases.
 */
import {IngestError, where} from "./errors.ts";

/**
 * Normalises a column name for matching:
 * lower case; ä→ae, ö→oe, ü→ue, ß→ss (already transliterated spellings stay as they are); other accents are
 * dropped (é→e); whitespace, line breaks and word-separating punctuation ( - / \ . , ; : + & | ( ) [ ] ) become
 * "_"; all other characters are removed; runs of "_" collapse and leading/trailing "_" are removed.
 *   "Männlich", "Maennlich ", "MAENNLICH" → "maennlich"
 *   "Beleuchtung\n vorhanden" → "beleuchtung_vorhanden";  "Plätze U3" → "plaetze_u3";  "Bez-Nr" → "bez_nr"
 */
export function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\s\-/\\.,;:+&|()[\]]+/g, "_")
    .replace(/[^a-z0-9_]/g, "")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}

/** An expected column: `key` is the canonical contract name, `aliases` further accepted names. */
export interface ColumnSpec {
  key: string;
  aliases?: string[];
  required?: boolean;
}

export interface ColumnMatch {
  /** canonical key → 0-based column index in the header */
  byKey: Map<string, number>;
  /** header cells (raw text) that matched no spec; empty header cells are not listed */
  unknown: string[];
}

/**
 * Maps header cells to specs. Priority per spec: a city mapping (raw name → key, both sides normalised),
 * then the key itself, then the aliases in order. Each column is used for at most one spec; with duplicate
 * column names the first one wins.
 * Throws IngestError("missing_column") listing ALL missing required columns and the header found.
 * `line` (optional extension) is the header line used in the message.
 */
export function matchColumns(
  header: string[],
  specs: ColumnSpec[],
  mapping?: Record<string, string>,
  file = "Datei",
  line?: number
): ColumnMatch {
  const normalized = header.map(normalizeHeader);
  const used = new Set<number>();
  const byKey = new Map<string, number>();

  const mapped = new Map<string, string>(); // normalised raw name → normalised key
  for (const [raw, key] of Object.entries(mapping ?? {})) mapped.set(normalizeHeader(raw), normalizeHeader(key));

  const find = (pred: (name: string, i: number) => boolean): number => {
    for (let i = 0; i < normalized.length; i++) {
      const name = normalized[i] as string;
      if (name !== "" && !used.has(i) && pred(name, i)) return i;
    }
    return -1;
  };

  // Pass 1: city mappings take precedence over everything else.
  for (const spec of specs) {
    const key = normalizeHeader(spec.key);
    const i = find((name) => mapped.get(name) === key);
    if (i >= 0) {
      used.add(i);
      byKey.set(spec.key, i);
    }
  }
  // Pass 2: key, then aliases. A header that is mapped to some other key is not taken by name.
  for (const spec of specs) {
    if (byKey.has(spec.key)) continue;
    for (const candidate of [spec.key, ...(spec.aliases ?? [])]) {
      const target = normalizeHeader(candidate);
      const i = find((name) => name === target && !mapped.has(name));
      if (i >= 0) {
        used.add(i);
        byKey.set(spec.key, i);
        break;
      }
    }
  }

  const missing = specs.filter((s) => s.required && !byKey.has(s.key));
  if (missing.length > 0) {
    const list = missing
      .map((s) => (s.aliases && s.aliases.length > 0 ? `„${s.key}“ (auch: ${s.aliases.join(", ")})` : `„${s.key}“`))
      .join(", ");
    const found = header.filter((h) => h.trim() !== "").map((h) => `„${h.replace(/\s+/g, " ").trim()}“`);
    throw new IngestError(
      file,
      "missing_column",
      `${where(file, line)}${missing.length === 1 ? "Pflichtspalte fehlt" : "Pflichtspalten fehlen"}: ${list}. ` +
        `Gefundene Kopfzeile: ${found.length > 0 ? found.join(", ") : "(leer)"}. ` +
        `Bitte die Spalten in der Datei umbenennen oder in city.json unter „column_mappings“ zuordnen.`,
      line
    );
  }

  const unknown: string[] = [];
  header.forEach((h, i) => {
    if (!used.has(i) && h.trim() !== "") unknown.push(h);
  });
  return {byKey, unknown};
}
