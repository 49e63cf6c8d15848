/** The validation report: what was read, loaded and rejected per file, and why. */
export interface FileReport {
  file: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Total rows ("Summe") recognised and checked, not loaded (not part of rows_read). */
  total_rows: number;
  encoding?: string;
  delimiter?: string;
}

export interface Issue {
  file: string;
  line: number | null;
  column: string | null;
  code: string;
  message: string;
}

export interface ValidationReport {
  city: string;
  files: FileReport[];
  errors: Issue[];
  warnings: Issue[];
}

/** `file:line: column: reason` – the one-line form of an issue. */
export function formatIssue(issue: Issue): string {
  const where = [issue.file, issue.line ?? undefined].filter((part) => part !== undefined).join(":");
  return `${where}: ${issue.column ? `${issue.column}: ` : ""}${issue.message}`;
}

const fmt = new Intl.NumberFormat("de-DE");

/** The report as German text for the terminal. */
export function formatReport(report: ValidationReport): string {
  const lines: string[] = [`Prüfbericht für ${report.city}`, ""];
  const width = Math.max(...report.files.map((f) => f.file.length), 5);
  // columns as wide as their header or their longest number ("1.600.000")
  const col = (title: string, key: "rows_read" | "rows_loaded" | "rows_rejected"): number => Math.max(title.length, ...report.files.map((f) => fmt.format(f[key]).length));
  const [wRead, wLoaded, wRejected] = [col("gelesen", "rows_read"), col("geladen", "rows_loaded"), col("abgelehnt", "rows_rejected")];
  lines.push(`${"Datei".padEnd(width)}  ${"gelesen".padStart(wRead)}  ${"geladen".padStart(wLoaded)}  ${"abgelehnt".padStart(wRejected)}`);
  for (const f of report.files) {
    const totals = f.total_rows ? `  (+${f.total_rows} Summenzeile${f.total_rows > 1 ? "n" : ""} geprüft)` : "";
    lines.push(`${f.file.padEnd(width)}  ${fmt.format(f.rows_read).padStart(wRead)}  ${fmt.format(f.rows_loaded).padStart(wLoaded)}  ${fmt.format(f.rows_rejected).padStart(wRejected)}${totals}`);
  }
  if (report.errors.length) {
    lines.push("", `Fehler (${fmt.format(report.errors.length)}):`);
    for (const issue of report.errors) lines.push(`  ${formatIssue(issue)}`);
  }
  if (report.warnings.length) {
    lines.push("", `Warnungen (${fmt.format(report.warnings.length)}):`);
    for (const issue of report.warnings) lines.push(`  ${formatIssue(issue)}`);
  }
  lines.push("", report.errors.length ? `${fmt.format(report.errors.length)} Zeile(n) abgelehnt – Details oben.` : "Alle Zeilen gültig.");
  return lines.join("\n") + "\n";
}
