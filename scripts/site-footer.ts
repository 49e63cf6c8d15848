/**
 * The footer line of every page. The preview server gets it from observablehq.config.ts; the
 * build writes it in scripts/postbuild.ts, because a configured footer costs Framework three
 * HTML parses on every page (thousands of pages for a state-scale city).
 */
export const SITE_FOOTER = "Chancenatlas – Monitoring der Präventionskette · keine Cookies, keine externen Ressourcen";

/** Adds the footer line to a built page (after the pager, or as the page's footer); unchanged when it is there. */
export function addFooter(html: string): string {
  const line = `<div>${SITE_FOOTER}</div>`;
  if (html.includes(line)) return html;
  if (html.includes('<footer id="observablehq-footer">')) return html.replace(/(<footer id="observablehq-footer">[\s\S]*?)\n<\/footer>/, `$1\n${line}\n</footer>`);
  return html.replace(/<\/main>\n/, `</main>\n<footer id="observablehq-footer">\n${line}\n</footer>\n`);
}
