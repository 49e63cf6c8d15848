/** Small DOM helpers that create elements in a given document (jsdom in tests). */

export const SVG_NS = "http://www.w3.org/2000/svg";

/** The document to render into: the given one or globalThis.document. */
export function resolveDocument(document?: Document): Document {
  const doc = document ?? (globalThis as {document?: Document}).document;
  if (!doc) throw new Error("Kein document verfügbar – bitte die Option „document“ übergeben.");
  return doc;
}

type AttrValue = string | number | boolean | null | undefined;
export type Child = Node | string | number | null | undefined | false;

function setAttrs(el: Element, attrs: Record<string, AttrValue> | undefined): void {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    el.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(document: Document, el: Element, children: Child[]): void {
  for (const child of children) {
    if (child == null || child === false) continue;
    el.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Creates an HTML element with attributes (null/false skipped, true → "") and children. */
export function html<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  attrs?: Record<string, AttrValue>,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(document, el, children);
  return el;
}

/** Creates an SVG element (in the SVG namespace) with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  document: Document,
  tag: K,
  attrs?: Record<string, AttrValue>,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  setAttrs(el, attrs);
  append(document, el, children);
  return el;
}

let counter = 0;
/** A page-unique id with the given prefix (for patterns, aria-labelledby, …). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++counter}`;
}

/** Inline style that hides an element visually but keeps it for screen readers. */
export const VISUALLY_HIDDEN =
  "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0";
