/**
 * Field types of the input contract and the conversion of one raw cell into a
 * typed value. A conversion either yields a value (possibly NULL with the
 * statistical marker kept) or a row error with a German reason.
 */
import {parseNumber, type DecimalStyle} from "../ingest/index.ts";

export type Value = string | number | boolean | string[] | null;

interface BaseField {
  key: string;
  /** German or alternative column names accepted for this field. */
  aliases?: string[];
  required?: boolean;
  /** A missing (empty) value is allowed. Default: true for optional fields, false for required ones. */
  nullable?: boolean;
  /** Short German description, used in messages and docs. */
  label: string;
}

export type FieldSpec =
  | (BaseField & {type: "text" | "id"})
  | (BaseField & {type: "integer" | "number"; min?: number; max?: number})
  | (BaseField & {type: "enum"; values: Record<string, string>})
  | (BaseField & {type: "bool"})
  | (BaseField & {type: "list"; values?: Record<string, string>; pattern?: RegExp});

export type CellResult =
  | {ok: true; value: Value; marker?: string}
  | {ok: false; code: string; message: string};

const BOOL_VALUES: Record<string, boolean> = {
  ja: true, j: true, yes: true, true: true, wahr: true, "1": true, x: true,
  nein: false, n: false, no: false, false: false, falsch: false, "0": false
};

/** Lower-cases and folds umlauts so enum values match regardless of spelling. */
export function foldValue(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/\s+/g, " ");
}

/** Builds an enum lookup: each canonical value and its synonyms (folded) → canonical value. */
export function enumValues(canonical: Record<string, string[]>): Record<string, string> {
  const lookup: Record<string, string> = {};
  for (const [value, synonyms] of Object.entries(canonical)) {
    for (const s of [value, ...synonyms]) lookup[foldValue(s)] = value;
  }
  return lookup;
}

function allowedList(values: Record<string, string>): string {
  return [...new Set(Object.values(values))].join(", ");
}

export function convertCell(
  field: FieldSpec,
  raw: string | undefined,
  options: {decimal: DecimalStyle; markers: readonly string[]}
): CellResult {
  const text = (raw ?? "").trim();
  const nullable = field.nullable ?? !field.required;
  if (text === "") {
    return nullable ? {ok: true, value: null} : {ok: false, code: "missing_value", message: `Pflichtwert fehlt (${field.label})`};
  }
  switch (field.type) {
    case "text":
    case "id":
      return {ok: true, value: text};
    case "integer":
    case "number": {
      const cell = parseNumber(text, {decimal: options.decimal, markers: options.markers});
      if (cell.kind === "marker") return {ok: true, value: null, marker: cell.marker};
      if (cell.kind === "empty") return nullable ? {ok: true, value: null} : {ok: false, code: "missing_value", message: `Pflichtwert fehlt (${field.label})`};
      if (cell.kind === "invalid") return {ok: false, code: "invalid_number", message: cell.reason === "keine Zahl" ? `„${text}“ ist keine Zahl` : `„${text}“ ist keine Zahl: ${cell.reason}`};
      const value = cell.value;
      if (field.type === "integer" && !Number.isInteger(value)) {
        return {ok: false, code: "not_integer", message: `„${text}“ muss eine ganze Zahl sein (${field.label})`};
      }
      if (field.min !== undefined && value < field.min) {
        const code = field.min === 0 ? "negative" : "out_of_range";
        return {ok: false, code, message: field.min === 0 ? `negativer Wert ${text} – ${field.label} kann nicht negativ sein` : `${text} liegt unter dem Mindestwert ${field.min} (${field.label})`};
      }
      if (field.max !== undefined && value > field.max) {
        return {ok: false, code: "out_of_range", message: `${text} liegt über dem Höchstwert ${field.max} (${field.label})`};
      }
      return {ok: true, value};
    }
    case "enum": {
      const value = field.values[foldValue(text)];
      return value === undefined
        ? {ok: false, code: "invalid_value", message: `„${text}“ ist kein zulässiger Wert für ${field.label}; erlaubt: ${allowedList(field.values)}`}
        : {ok: true, value};
    }
    case "bool": {
      const value = BOOL_VALUES[foldValue(text)];
      return value === undefined
        ? {ok: false, code: "invalid_value", message: `„${text}“ ist kein Ja/Nein-Wert (${field.label}); erlaubt: ja, nein`}
        : {ok: true, value};
    }
    case "list": {
      const items = text.split("|").map((item) => item.trim()).filter((item) => item !== "");
      const out: string[] = [];
      for (const item of items) {
        if (field.values) {
          const value = field.values[foldValue(item)];
          if (value === undefined) return {ok: false, code: "invalid_value", message: `„${item}“ ist kein zulässiger Wert für ${field.label}; erlaubt: ${allowedList(field.values)}`};
          out.push(value);
        } else if (field.pattern && !field.pattern.test(item)) {
          return {ok: false, code: "invalid_value", message: `„${item}“ hat nicht das erwartete Format (${field.label})`};
        } else out.push(item);
      }
      if (out.length === 0 && !nullable) return {ok: false, code: "missing_value", message: `Pflichtwert fehlt (${field.label})`};
      return {ok: true, value: out};
    }
  }
}
