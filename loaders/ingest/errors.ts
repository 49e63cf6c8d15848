/**
 * Structural ingest errors: the whole file cannot be used.
 *
 * Problems with single cells (a number that cannot be read, a marker) are NOT errors;
 * they are reported per cell (see `Cell` in numbers.ts) so that one bad value never
 * rejects a whole file.
 *
 * Error codes (`IngestError.code`):
 * - "unreadable"      the file cannot be read at all (missing, no permission, binary such as .xlsx/.zip)
 * - "encoding"        the text cannot be decoded cleanly: U+FFFD replacement characters, double-encoded
 *                     UTF-8 ("Ã¤" instead of "ä"), UTF-16 files
 * - "no_header"       no header row with column names could be found
 * - "missing_column"  required columns are missing (the message lists all of them and the header found)
 * - "empty"           the file contains nothing but blank lines
 * - "quote"           a quoted field is malformed or never closed in the header or data part, so records
 *                     would silently run into each other
 *
 * Messages are German (the users are German social planners) and always name the file, the line
 * (when known) and what to fix.
 */
export type IngestErrorCode =
  | "unreadable"
  | "encoding"
  | "no_header"
  | "missing_column"
  | "empty"
  | "quote";

export class IngestError extends Error {
  public file: string;
  public code: string;
  public line?: number;

  constructor(file: string, code: string, message: string, line?: number) {
    super(message);
    this.name = "IngestError";
    this.file = file;
    this.code = code;
    if (line !== undefined) this.line = line;
  }
}

/** Prefix for German messages: "datei.csv, Zeile 3: " or "datei.csv: ". */
export function where(file: string, line?: number): string {
  return line === undefined ? `${file}: ` : `${file}, Zeile ${line}: `;
}
