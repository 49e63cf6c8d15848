import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {sortableTable, sortRows} from "../../src/components/sortableTable.ts";
import {formatPercent} from "../../src/components/format.ts";

function setup() {
  const {window} = new JSDOM("<!doctype html><body></body>");
  const document = window.document;
  const rows = [
    {name: "Wattenscheid", rate: 0.2, group: "b"},
    {name: "Ährenfeld", rate: null, group: "a"},
    {name: "Mitte", rate: 0.1, group: "a"},
    {name: "Zentrum 10", rate: 0.2, group: "a"},
    {name: "Zentrum 9", rate: 0.05, group: "b"},
    {name: "Ost", rate: 0.3, group: "b"}
  ];
  const table = sortableTable(rows, {
    caption: "SGB-II-Quote nach Bezirk",
    columns: [
      {key: "name", label: "Gebiet"},
      {key: "rate", label: "Anteil", format: (v) => formatPercent(v as number | null)},
      {key: "group", label: "Gruppe", sortable: false}
    ],
    document
  });
  document.body.append(table);
  const names = () => Array.from(table.querySelectorAll("tbody tr"), (tr) => tr.firstElementChild?.textContent);
  const headers = Array.from(table.querySelectorAll("thead th"));
  const click = (i: number) => headers[i]?.querySelector("button")?.dispatchEvent(new window.MouseEvent("click", {bubbles: true}));
  return {window, document, table, names, headers, click};
}

describe("sortableTable", () => {
  test("structure: caption, th scope=col with buttons, row headers, formatted cells", () => {
    const {table, headers} = setup();
    expect(table.localName).toBe("table");
    expect(table.querySelector("caption")?.textContent).toContain("SGB-II-Quote nach Bezirk");
    expect(headers.map((th) => th.getAttribute("scope"))).toEqual(["col", "col", "col"]);
    expect(headers[0]?.querySelector("button")?.getAttribute("type")).toBe("button");
    expect(headers[2]?.querySelector("button")).toBeNull();
    expect(table.querySelectorAll('tbody th[scope="row"]')).toHaveLength(6);
    expect(table.querySelector("tbody tr td")?.textContent).toBe("20,0\u00a0%");
    expect(headers.some((th) => th.hasAttribute("aria-sort"))).toBe(false);
  });

  test("click sorts ascending, again descending; aria-sort follows; missing last", () => {
    const {names, headers, click} = setup();
    click(1);
    expect(headers[1]?.getAttribute("aria-sort")).toBe("ascending");
    expect(names()).toEqual(["Zentrum 9", "Mitte", "Wattenscheid", "Zentrum 10", "Ost", "Ährenfeld"]);
    click(1);
    expect(headers[1]?.getAttribute("aria-sort")).toBe("descending");
    // stable: Wattenscheid before Zentrum 10 (input order) also when descending; null still last
    expect(names()).toEqual(["Ost", "Wattenscheid", "Zentrum 10", "Mitte", "Zentrum 9", "Ährenfeld"]);
    click(0);
    expect(headers[0]?.getAttribute("aria-sort")).toBe("ascending");
    expect(headers[1]?.hasAttribute("aria-sort")).toBe(false);
    // German collation: Ä next to A, numbers inside text numerically
    expect(names()).toEqual(["Ährenfeld", "Mitte", "Ost", "Wattenscheid", "Zentrum 9", "Zentrum 10"]);
  });

  test("keyboard: the header control is a native button (Enter/Space activate it)", () => {
    const {headers, document} = setup();
    const button = headers[0]?.querySelector("button") as HTMLButtonElement;
    button.focus();
    expect(document.activeElement).toBe(button);
    expect(button.tabIndex).toBe(0);
  });

  test("pageSize: the first rows in the current order, buttons show more and all; sorting covers every row", () => {
    const {window} = new JSDOM("<!doctype html><body></body>");
    const document = window.document;
    const rows = Array.from({length: 25}, (_, i) => ({name: `Gebiet ${String(i).padStart(2, "0")}`, value: i}));
    const table = sortableTable(rows, {caption: "Viele Gebiete", columns: [{key: "name", label: "Gebiet"}, {key: "value", label: "Wert"}], pageSize: 10, document});
    document.body.append(table);
    const shown = () => Array.from(table.querySelectorAll("tbody tr"), (tr) => tr.firstElementChild?.textContent);
    const foot = () => table.querySelector("tfoot")!;
    const press = (selector: string) => foot().querySelector(selector)!.dispatchEvent(new window.MouseEvent("click", {bubbles: true}));
    expect(shown()).toHaveLength(10);
    expect(foot().querySelector(".cn-table-count")?.textContent).toBe("10 von 25 Zeilen");
    expect(foot().querySelector(".cn-table-more")?.textContent).toBe("10 weitere Zeilen anzeigen");
    // sorting by value descending shows the ten largest of all 25
    const sortButton = table.querySelectorAll("thead th button")[1]!;
    sortButton.dispatchEvent(new window.MouseEvent("click", {bubbles: true}));
    sortButton.dispatchEvent(new window.MouseEvent("click", {bubbles: true}));
    expect(shown()[0]).toBe("Gebiet 24");
    press(".cn-table-more");
    expect(shown()).toHaveLength(20);
    expect(foot().querySelector(".cn-table-more")?.textContent).toBe("5 weitere Zeilen anzeigen");
    press(".cn-table-all");
    expect(shown()).toHaveLength(25);
    expect(foot().querySelector(".cn-table-count")?.textContent).toBe("25 von 25 Zeilen");
    expect((foot().querySelector(".cn-table-more") as HTMLButtonElement).hidden).toBe(true);
    // a short table has no footer
    expect(sortableTable(rows.slice(0, 5), {caption: "Wenige", columns: [{key: "name", label: "Gebiet"}], pageSize: 10, document}).querySelector("tfoot")).toBeNull();
  });

  test("initial sort option", () => {
    const {window} = new JSDOM("");
    const table = sortableTable([{a: 2}, {a: 1}], {caption: "x", columns: [{key: "a", label: "A"}], sort: {key: "a", order: "descending"}, document: window.document});
    expect(table.querySelector("th")?.getAttribute("aria-sort")).toBe("descending");
    expect(Array.from(table.querySelectorAll("tbody th"), (c) => c.textContent)).toEqual(["2", "1"]);
  });

  test("sortRows is stable and puts missing values last", () => {
    const rows = [{k: 1, i: 0}, {k: null, i: 1}, {k: 1, i: 2}, {k: 0, i: 3}];
    expect(sortRows(rows, (r) => r.k, "ascending").map((r) => r.i)).toEqual([3, 0, 2, 1]);
    expect(sortRows(rows, (r) => r.k, "descending").map((r) => r.i)).toEqual([0, 2, 3, 1]);
  });
});
