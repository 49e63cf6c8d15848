/** The visible "Beispieldaten" notice for pages that show synthetic figures. */
import {SYNTHETIC_TEXT} from "../components/exportSvg.js";

export function syntheticBanner(city: {name: string; synthetic_sources: boolean}, document: Document = globalThis.document): HTMLElement {
  const note = document.createElement("div");
  if (!city.synthetic_sources) {
    note.hidden = true;
    return note;
  }
  note.className = "note beispieldaten-banner";
  note.setAttribute("role", "note");
  const strong = document.createElement("strong");
  strong.textContent = "Beispieldaten: ";
  note.append(strong, `Viele Zahlen dieser Seite für ${city.name} sind synthetisch erzeugt (${SYNTHETIC_TEXT.replace(/^Beispieldaten – /, "")}). Jede betroffene Grafik ist gekennzeichnet; welche Daten real sind, steht unter „Quellen und Lizenzen“.`);
  return note;
}
