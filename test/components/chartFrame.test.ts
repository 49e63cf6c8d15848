import {JSDOM} from "jsdom";
import {describe, expect, test, vi} from "vitest";
import * as Plot from "@observablehq/plot";
import {chartFrame, formatCell, LAZY_TABLE_ROWS, slug, SYNTHETIC_TEXT} from "../../src/components/chartFrame.ts";
import {exportSvg} from "../../src/components/exportSvg.ts";
import {swatchLegend} from "../../src/components/legend.ts";

function render(synthetic: boolean) {
  const {window} = new JSDOM("<!doctype html><body></body>");
  const document = window.document;
  const chart = Plot.plot({document, width: 300, height: 100, marks: [Plot.dot([1, 2, 3], {x: (d: number) => d})]});
  const figure = chartFrame(chart, {
    title: "In Wattenscheid ist der Anteil am höchsten",
    source: "Quelle: Jobcenter Bochum, 2024",
    summary: "Der Anteil reicht von 5 % in Süd bis 20 % in Wattenscheid.",
    table: {
      columns: [
        {key: "name", label: "Gebiet", type: "text"},
        {key: "rate", label: "Anteil (%)", type: "percent"}
      ],
      rows: [
        {name: "Süd", rate: 0.05},
        {name: "Wattenscheid", rate: 0.2},
        {name: "Ost", rate: "geheim"}
      ]
    },
    synthetic,
    document
  });
  document.body.append(figure);
  return {window, document, chart, figure};
}

describe("chartFrame", () => {
  test("figure with h3 title, labelled chart, figcaption with summary and source", () => {
    const {figure, chart} = render(false);
    expect(figure.localName).toBe("figure");
    const h3 = figure.querySelector("h3");
    expect(h3?.textContent).toBe("In Wattenscheid ist der Anteil am höchsten");
    expect(figure.getAttribute("aria-labelledby")).toBe(h3?.id);
    expect(chart.getAttribute("role")).toBe("img");
    expect(chart.getAttribute("aria-label")).toBe("Der Anteil reicht von 5 % in Süd bis 20 % in Wattenscheid.");
    const caption = figure.querySelector("figcaption");
    expect(figure.lastElementChild).toBe(caption);
    expect(caption?.querySelector(".cn-source")?.textContent).toBe("Quelle: Jobcenter Bochum, 2024");
    expect(caption?.querySelector(".cn-summary")?.textContent).toBe("Der Anteil reicht von 5 % in Süd bis 20 % in Wattenscheid.");
  });

  test("Beispieldaten badge iff synthetic", () => {
    expect(render(true).figure.querySelector(".cn-badge")?.textContent).toBe("Beispieldaten – synthetische Zahlen, keine amtlichen Werte");
    expect(SYNTHETIC_TEXT).toBe("Beispieldaten – synthetische Zahlen, keine amtlichen Werte");
    expect(render(false).figure.querySelector(".cn-badge")).toBeNull();
    expect(render(false).figure.textContent).not.toContain("Beispieldaten");
  });

  test("data table in <details> with caption and th scope=col", () => {
    const {figure} = render(false);
    const details = figure.querySelector("details");
    expect(details?.querySelector("summary")?.textContent).toBe("Daten als Tabelle");
    const table = details?.querySelector("table");
    expect(table?.querySelector("caption")?.textContent).toContain("Daten: In Wattenscheid ist der Anteil am höchsten");
    expect(Array.from(table?.querySelectorAll("thead th") ?? [], (th) => th.getAttribute("scope"))).toEqual(["col", "col"]);
    expect(Array.from(table?.querySelectorAll("tbody td") ?? [], (td) => td.textContent)).toEqual(["5,0\u00a0%", "20,0\u00a0%", "geheim"]);
  });

  test("a long data table is built when its <details> is first opened", () => {
    const {window} = new JSDOM("<!doctype html><body></body>");
    const document = window.document;
    const rows = Array.from({length: LAZY_TABLE_ROWS + 1}, (_, i) => ({name: `Gebiet ${i}`, rate: i / 1000}));
    const chart = Plot.plot({document, width: 300, height: 100, marks: [Plot.dot([1, 2, 3], {x: (d: number) => d})]});
    const figure = chartFrame(chart, {
      title: "T", source: "Quelle: Q", summary: "S.", document,
      table: {columns: [{key: "name", label: "Gebiet", type: "text"}, {key: "rate", label: "Anteil (%)", type: "percent"}], rows}
    });
    const details = figure.querySelector("details")!;
    expect(details.querySelector("summary")?.textContent).toBe(`Daten als Tabelle (${rows.length} Zeilen)`);
    expect(details.querySelector("table")).toBeNull();
    details.open = true;
    details.dispatchEvent(new window.Event("toggle"));
    expect(details.querySelectorAll("tbody tr")).toHaveLength(rows.length);
    details.dispatchEvent(new window.Event("toggle"));
    expect(details.querySelectorAll("table")).toHaveLength(1);
  });

  test("download buttons: CSV (Excel), SVG, PNG", () => {
    const {figure, window} = render(true);
    const buttons = Array.from(figure.querySelectorAll("button.cn-download")) as HTMLButtonElement[];
    expect(buttons.map((b) => b.textContent)).toEqual(["CSV (Excel)", "SVG", "PNG"]);
    for (const b of buttons) {
      expect(b.type).toBe("button");
      expect(b.tabIndex).toBe(0);
      expect(b.getAttribute("aria-label")?.startsWith(b.textContent ?? "")).toBe(true);
    }
    // CSV click produces the Excel CSV
    let blob: Blob | undefined;
    const create = vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blob = b as Blob;
      return "blob:x";
    });
    window.HTMLAnchorElement.prototype.click = () => {};
    buttons[0]?.dispatchEvent(new window.MouseEvent("click"));
    expect(blob?.type).toBe("text/csv;charset=utf-8");
    create.mockRestore();
  });

  test("CSV download content", async () => {
    const {figure, window} = render(false);
    let blob: Blob | undefined;
    const create = vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blob = b as Blob;
      return "blob:x";
    });
    window.HTMLAnchorElement.prototype.click = () => {};
    (figure.querySelector("button.cn-download") as HTMLButtonElement).click();
    create.mockRestore();
    const bytes = new Uint8Array(await (blob as Blob).arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    expect(new TextDecoder().decode(bytes.slice(3))).toBe("Gebiet;Anteil (%)\r\nSüd;5,0\r\nWattenscheid;20,0\r\nOst;geheim\r\n");
  });

  test("formatCell and slug", () => {
    expect(formatCell(0.125, {key: "x", label: "x", type: "percent"})).toBe("12,5\u00a0%");
    expect(formatCell(85800, {key: "x", label: "x", type: "euro"})).toBe("85.800\u00a0€");
    expect(formatCell(null, {key: "x", label: "x", type: "number"})).toBe("–");
    expect(slug("Anteil SGB II: Kinder unter 15 – Bezirke 2024")).toBe("anteil-sgb-ii-kinder-unter-15-bezirke-2024");
    expect(slug("Übergewicht äöß")).toBe("uebergewicht-aeoess");
  });
});

describe("exportSvg", () => {
  test("one SVG with title, synthetic note, chart, legend and source", () => {
    const {window} = new JSDOM("");
    const document = window.document;
    const div = document.createElement("div");
    div.append(
      swatchLegend([{label: "geheim (kleine Fallzahl)", kind: "hatch"}, {label: "Stadt", kind: "line", stroke: "#666"}], {title: "Legende", document}),
      Plot.plot({document, width: 300, height: 100, marks: [Plot.dot([1, 2], {x: (d: number) => d})]})
    );
    const svg = exportSvg(div, {title: "Titel", source: "Quelle: Test, 2024", synthetic: true, document});
    expect(svg.localName).toBe("svg");
    const texts = Array.from(svg.querySelectorAll(":scope > text"), (t) => t.textContent);
    expect(texts).toContain("Titel");
    expect(texts).toContain("Beispieldaten – synthetische Zahlen, keine amtlichen Werte");
    expect(texts).toContain("Legende");
    expect(texts).toContain("geheim (kleine Fallzahl)");
    expect(texts).toContain("Quelle: Test, 2024");
    expect(svg.querySelectorAll(":scope > svg")).toHaveLength(1);
    expect(svg.querySelectorAll("pattern")).toHaveLength(1);
    expect(Number(svg.getAttribute("height"))).toBeGreaterThan(100);
  });
});

describe("chartFrame around a table", () => {
  test("keeps table semantics (no role=img), no SVG/PNG buttons", async () => {
    const {sortableTable} = await import("../../src/components/sortableTable.ts");
    const {document} = new JSDOM("").window;
    const table = sortableTable([{a: 1}], {caption: "Tabelle", columns: [{key: "a", label: "A"}], document});
    const figure = chartFrame(table, {title: "T", source: "Quelle: Q", summary: "S.", document});
    expect(figure.querySelector('[role="img"]')).toBeNull();
    expect(table.hasAttribute("aria-label")).toBe(false);
    expect(figure.querySelectorAll("button.cn-download")).toHaveLength(0);
    expect(figure.querySelector(".cn-summary")?.textContent).toBe("S.");
  });
});
