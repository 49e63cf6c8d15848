/** Public API of the robust CSV reader. */
export {IngestError, type IngestErrorCode} from "./errors.ts";
export {decode, decodeWindows1252, encodeWindows1252, type DecodeOptions, type Encoding} from "./decode.ts";
export {
  DEFAULT_MARKERS,
  detectDecimalStyle,
  detectDecimalStyleCounted,
  detectUnit,
  parseNumber,
  type Cell,
  type DecimalStyle,
  type NumberUnit,
  type ParseNumberOptions
} from "./numbers.ts";
export {matchColumns, normalizeHeader, type ColumnMatch, type ColumnSpec} from "./headers.ts";
export {
  matchesTotalLabel,
  findFootnotes,
  parseTable,
  recordOf,
  totalRowTest,
  type Rec,
  readTableFile,
  TOTAL_LABELS,
  type Delimiter,
  type RawRow,
  type RawTable,
  type ReadOptions
} from "./csv.ts";
export {checkTotals, formatTotalWarning, type CheckTotalsOptions, type TotalCheck} from "./totals.ts";
