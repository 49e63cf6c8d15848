import {describe, expect, it} from "vitest";
import {repairHtml} from "../../scripts/postbuild.ts";

describe("postbuild HTML repairs", () => {
  it("sets the page language and moves the sidebar label out of the list", () => {
    const html = `<!DOCTYPE html>\n<html>\n<nav id="observablehq-sidebar">\n  <ol>\n    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>\n    <li>Chancenatlas</li>\n  </ol>`;
    const out = repairHtml(html);
    expect(out).toContain('<html lang="de">');
    expect(out).toMatch(/<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"><\/label>\n  <ol>\s*<li>Chancenatlas<\/li>/);
  });
});
