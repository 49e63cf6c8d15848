import {JSDOM} from "jsdom";
import {describe, expect, test} from "vitest";
import {
  classColor,
  contrastRatio,
  divergingColors,
  DYNAMICS_CLASSES,
  hatchPattern,
  NEED_CLASSES,
  relativeLuminance,
  sequentialColors,
  textColorFor
} from "../../src/components/palettes.ts";

describe("palettes", () => {
  test("need classes: 4 distinct, ordered light → dark, German labels, text contrast ≥ 4.5", () => {
    expect(NEED_CLASSES.map((c) => c.label)).toEqual(["1 niedrig", "2 mittel", "3 hoch", "4 sehr hoch"]);
    expect(new Set(NEED_CLASSES.map((c) => c.color)).size).toBe(4);
    const lum = NEED_CLASSES.map((c) => relativeLuminance(c.color));
    for (let i = 1; i < lum.length; i++) expect(lum[i]).toBeLessThan(lum[i - 1] as number);
    // neighbours differ in lightness (distinguishable without hue, i.e. for colour-blind readers)
    for (let i = 1; i < NEED_CLASSES.length; i++) expect(contrastRatio(NEED_CLASSES[i]!.color, NEED_CLASSES[i - 1]!.color)).toBeGreaterThan(1.4);
    for (const c of NEED_CLASSES) expect(contrastRatio(c.color, c.text)).toBeGreaterThanOrEqual(4.5);
    expect(classColor(NEED_CLASSES, 4)?.label).toBe("4 sehr hoch");
    expect(classColor(NEED_CLASSES, null)).toBeUndefined();
  });

  test("dynamics classes: 3, text contrast ≥ 4.5", () => {
    expect(DYNAMICS_CLASSES).toHaveLength(3);
    for (const c of DYNAMICS_CLASSES) expect(contrastRatio(c.color, c.text)).toBeGreaterThanOrEqual(4.5);
  });

  test("sequential and diverging schemes", () => {
    expect(sequentialColors(5)).toHaveLength(5);
    expect(sequentialColors(1)).toHaveLength(1);
    expect(sequentialColors(2)).toHaveLength(2);
    const seq = sequentialColors(5).map(relativeLuminance);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeLessThan(seq[i - 1] as number);
    const div = divergingColors(5);
    expect(div).toHaveLength(5);
    // neutral middle is the lightest
    expect(relativeLuminance(div[2]!)).toBeGreaterThan(Math.max(...[0, 1, 3, 4].map((i) => relativeLuminance(div[i]!))));
  });

  test("contrast helpers", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(textColorFor("#ffffff")).toBe("#000000");
    expect(textColorFor("#08306b")).toBe("#ffffff");
  });

  test("hatch pattern: unique ids, <pattern> in <defs>", () => {
    const {document} = new JSDOM("").window;
    const a = hatchPattern(document);
    const b = hatchPattern(document);
    expect(a.id).not.toBe(b.id);
    expect(a.fill).toBe(`url(#${a.id})`);
    expect(a.defs.localName).toBe("defs");
    expect(a.defs.querySelector("pattern")?.getAttribute("id")).toBe(a.id);
    expect(a.defs.querySelectorAll("pattern line")).toHaveLength(1);
  });
});
