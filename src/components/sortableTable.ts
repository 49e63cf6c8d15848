/**
 * A data table with sortable columns: the headers are <button>s inside <th aria-sort>,
 * operable by keyboard (Enter/Space), the sort is stable, text is compared with the
 * German collation (ä next to a, numbers inside text numerically), missing values
 * always come last (APG "sortable table" pattern: the caption says that the column
 * headers sort, aria-sort tells the current order). With `pageSize`, a long table shows its
 * first rows (in the current order) and buttons below show more or all of them.
 */
import {html, resolveDocument, VISUALLY_HIDDEN} from "./dom.js";
import {MISSING_VALUE} from "./format.js";

export type SortOrder = "ascending" | "descending";

/** One table column. */
export interface TableColumn<T = Record<string, unknown>> {
  /** Property of the row. */
  key: string;
  /** Header text. */
  label: string;
  /** Cell text; default: numbers in de-DE (max. 2 decimals), null as "–", other values as text. */
  format?: (value: unknown, row: T) => string;
  /** Text alignment; default right for numbers, left otherwise. */
  align?: "left" | "right" | "center";
  /** Whether the column can be sorted; default true. */
  sortable?: boolean;
  /** The value to sort by; default the cell value (row[key]). */
  sortValue?: (row: T) => unknown;
}

/** Options of sortableTable(). */
export interface SortableTableOptions<T> {
  /** The columns in display order. */
  columns: readonly TableColumn<T>[];
  /** Table caption (required: names the table for screen readers). */
  caption: string;
  /** Initial sort; default the given row order (no aria-sort). */
  sort?: {key: string; order: SortOrder};
  /** Whether the first column's cells are row headers (<th scope="row">); default true. */
  rowHeader?: boolean;
  /** Show this many rows at first (sorting covers all rows); buttons below the table show more. Default: all rows. */
  pageSize?: number;
  /** Document to create the elements in; default globalThis.document. */
  document?: Document;
}

const collator = new Intl.Collator("de-DE", {numeric: true, sensitivity: "base"});
const defaultNumber = new Intl.NumberFormat("de-DE", {maximumFractionDigits: 2});

function isMissing(value: unknown): boolean {
  return value == null || value === "" || (typeof value === "number" && Number.isNaN(value));
}

/** Compares two sort values ascending; missing values are handled by the caller. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "number") return -1; // numbers before text (e.g. before "geheim")
  if (typeof b === "number") return 1;
  return collator.compare(String(a), String(b));
}

/**
 * Stable sort of rows by a value; missing values (null, "", NaN) last in both orders.
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => unknown, order: SortOrder): T[] {
  const sign = order === "ascending" ? 1 : -1;
  return rows
    .map((row, index) => ({row, index, value: value(row)}))
    .sort((a, b) => {
      const ma = isMissing(a.value);
      const mb = isMissing(b.value);
      if (ma || mb) return ma && mb ? a.index - b.index : ma ? 1 : -1;
      return sign * compareValues(a.value, b.value) || a.index - b.index;
    })
    .map((d) => d.row);
}

function defaultFormat(value: unknown): string {
  if (value == null || (typeof value === "number" && !Number.isFinite(value))) return MISSING_VALUE;
  if (typeof value === "number") return defaultNumber.format(value);
  if (typeof value === "boolean") return value ? "ja" : "nein";
  return String(value);
}

/** A sortable <table> with <caption>; returns the table element. */
export function sortableTable<T extends object>(rows: readonly T[], options: SortableTableOptions<T>): HTMLTableElement {
  const document = resolveDocument(options.document);
  const {columns, caption, rowHeader = true} = options;
  const valueOf = (row: T, key: string): unknown => (row as Record<string, unknown>)[key];
  const alignOf = (column: TableColumn<T>): string =>
    column.align ?? (rows.some((r) => typeof valueOf(r, column.key) === "number") ? "right" : "left");
  const aligns = columns.map(alignOf);

  const sortable = columns.some((c) => c.sortable !== false);
  const hint = sortable ? html(document, "span", {style: VISUALLY_HIDDEN}, ", sortierbar über die Spaltenköpfe") : null;
  // position:relative keeps the visually hidden hint inside the table (and inside a scrolling box around it)
  const table = html(document, "table", {class: "cn-table", style: "position:relative"}, html(document, "caption", {style: "text-align:left;caption-side:top"}, caption, hint));
  const headRow = html(document, "tr");
  table.append(html(document, "thead", {}, headRow));
  const tbody = html(document, "tbody");
  table.append(tbody);

  let state: {key: string; order: SortOrder} | null = options.sort ?? null;
  const headers: HTMLTableCellElement[] = [];
  const pageSize = options.pageSize && options.pageSize > 0 && rows.length > options.pageSize ? options.pageSize : rows.length;
  let shown = pageSize;
  // the row count and the buttons stay in place (keyboard focus stays on the button that was pressed)
  const more = pageSize < rows.length ? html(document, "td", {colspan: String(columns.length)}) : null;
  const count = (n: number): string => n.toLocaleString("de-DE");
  const status = html(document, "span", {class: "cn-table-count", role: "status"});
  const nextButton = html(document, "button", {type: "button", class: "cn-table-more"});
  const allButton = html(document, "button", {type: "button", class: "cn-table-all"}, `alle ${count(rows.length)} Zeilen anzeigen`);
  if (more) {
    more.append(status, " ", nextButton, " ", allButton);
    table.append(html(document, "tfoot", {}, html(document, "tr", {}, more)));
    nextButton.addEventListener("click", () => {
      shown = Math.min(rows.length, shown + pageSize);
      renderBody();
    });
    allButton.addEventListener("click", () => {
      shown = rows.length;
      renderBody();
    });
  }

  function renderMore(): void {
    if (!more) return;
    const rest = rows.length - shown;
    status.textContent = `${count(shown)} von ${count(rows.length)} Zeilen`;
    nextButton.textContent = `${count(Math.min(pageSize, rest))} weitere Zeilen anzeigen`;
    nextButton.hidden = rest <= 0;
    allButton.hidden = rest <= 0;
  }

  function renderBody(): void {
    let sorted: readonly T[] = rows;
    if (state) {
      const column = columns.find((c) => c.key === state?.key);
      if (column) sorted = sortRows(rows, column.sortValue ?? ((row) => valueOf(row, column.key)), state.order);
    }
    if (shown < sorted.length) sorted = sorted.slice(0, shown);
    renderMore();
    tbody.replaceChildren(
      ...sorted.map((row) =>
        html(
          document,
          "tr",
          {},
          ...columns.map((column, i) => {
            const value = valueOf(row, column.key);
            const text = column.format ? column.format(value, row) : defaultFormat(value);
            const style = `text-align:${aligns[i]}${aligns[i] === "right" ? ";font-variant-numeric:tabular-nums" : ""}`;
            return i === 0 && rowHeader
              ? html(document, "th", {scope: "row", style: `${style};font-weight:normal`}, text)
              : html(document, "td", {style}, text);
          })
        )
      )
    );
  }

  function renderHeaders(): void {
    columns.forEach((column, i) => {
      const th = headers[i];
      if (!th) return;
      const indicator = th.querySelector(".cn-sort-indicator");
      if (state?.key === column.key) {
        th.setAttribute("aria-sort", state.order);
        if (indicator) indicator.textContent = state.order === "ascending" ? "▲" : "▼";
      } else {
        th.removeAttribute("aria-sort");
        if (indicator) indicator.textContent = column.sortable === false ? "" : "↕";
      }
    });
  }

  columns.forEach((column, i) => {
    const th = html(document, "th", {scope: "col", style: `text-align:${aligns[i]}`});
    if (column.sortable === false) {
      th.append(column.label);
    } else {
      const button = html(
        document,
        "button",
        {type: "button", class: "cn-sort-button", style: "all:unset;cursor:pointer;font-weight:600;text-align:inherit;outline-offset:2px"},
        column.label,
        " ",
        html(document, "span", {class: "cn-sort-indicator", "aria-hidden": "true"})
      );
      // `all: unset` removes the focus ring; restore a visible one (WCAG 2.4.7)
      button.addEventListener("focus", () => (button.style.outline = "2px solid #1f5aa6"));
      button.addEventListener("blur", () => (button.style.outline = ""));
      button.addEventListener("click", () => {
        const order: SortOrder = state?.key === column.key && state.order === "ascending" ? "descending" : "ascending";
        state = {key: column.key, order};
        renderHeaders();
        renderBody();
      });
      th.append(button);
    }
    headers.push(th);
    headRow.append(th);
  });

  renderHeaders();
  renderBody();
  return table;
}
