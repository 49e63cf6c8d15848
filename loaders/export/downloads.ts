/**
 * The download tables of the site ("Daten herunterladen"): every published table with a file
 * name stem, German title, description and column descriptions, as CSV for German Excel
 * (toExcelCsv: BOM, ";", decimal comma, formula guard) and as Parquet (written by DuckDB).
 *
 * Protection: indicator values come only from indicator_published. A suppressed cell is
 * published as an empty row with "geheim (kleine Fallzahl)" in the column "geheimhaltung" –
 * the same text for primary and secondary suppression, so that the download does not tell
 * which withheld cells are the small ones. Kita coverage and funding per area are derived from
 * the same counts as the indicators kita_coverage_u3/ue3 and funding_per_child; where such a
 * cell is suppressed, the area's children, places/amount and rate are withheld as well.
 */
import {publicQuarantineSql} from "./site.ts";
import {funnelLimits, Z_998} from "../stats/compare.ts";
import {WILSON_Z} from "../stats/rates.ts";
import type {IndicatorValueRow} from "../stats/rates.ts";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBAppender, type DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import type {CityConfig} from "../contract/city-config.ts";
import {toExcelCsv, type CsvColumn} from "../../src/components/csv.ts";
import {fundingByAreaSql, needAreasSql} from "../funding/queries.ts";
import {HANDLUNGSFELD_LABELS, LIFE_PHASE_LABELS} from "../funding/chain.ts";
import {dynamicsClassLabel, kitaAreasSql, kitaSuppression, missingPlaces, needClassLabel, WITHHELD_TEXT} from "../report/findings.ts";

export type DownloadColumnType = "text" | "number" | "percent" | "euro";

export interface DownloadColumn extends CsvColumn {
  /** Key of the row and column name in the Parquet file (ASCII). */
  key: string;
  /** German heading (CSV header). */
  label: string;
  /** German explanation of the column (for the download page and the Parquet metadata). */
  description: string;
  /** percent: a proportion 0…1 (written as per cent in the CSV); euro: € amount. */
  type: DownloadColumnType;
  /** CSV decimals; 0 also makes the Parquet column an integer (BIGINT). */
  decimals?: number;
}

export type DownloadValue = string | number | null;
export type DownloadRow = Record<string, DownloadValue>;

export interface DownloadTable {
  /** File name stem, ASCII (letters, digits, "_", "-"). */
  id: string;
  title: string;
  description: string;
  columns: DownloadColumn[];
  rows: DownloadRow[];
}

/** The text of withheld cells in the column "geheimhaltung". */
export const SECRET = WITHHELD_TEXT;

const TARGET_GROUP_LABELS: Record<string, string> = {
  births: "Geburten",
  children_0_3: "Kinder 0 bis unter 3",
  children_3_6: "Kinder 3 bis unter 6",
  children_6_10: "Kinder 6 bis unter 10",
  children_10_15: "Kinder 10 bis unter 15",
  children_15_18: "Jugendliche 15 bis unter 18",
  children_0_18: "Kinder und Jugendliche 0 bis unter 18",
  families: "Familien"
};
const REACH_UNIT_LABELS: Record<string, string> = {persons: "Personen", families: "Familien"};

/** An ASCII file name stem: umlauts transcribed, everything else outside [a-z0-9_-] replaced by "_". */
export function asciiId(text: string): string {
  const id = text
    .toLowerCase()
    .replaceAll("ä", "ae")
    .replaceAll("ö", "oe")
    .replaceAll("ü", "ue")
    .replaceAll("ß", "ss")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return id || "tabelle";
}

function sql(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const text = (key: string, label: string, description: string): DownloadColumn => ({key, label, description, type: "text"});
const integer = (key: string, label: string, description: string): DownloadColumn => ({key, label, description, type: "number", decimals: 0});
const num = (key: string, label: string, description: string, decimals?: number): DownloadColumn => ({key, label, description, type: "number", ...(decimals === undefined ? {} : {decimals})});
const percent = (key: string, label: string, description: string): DownloadColumn => ({key, label, description, type: "percent"});
const euro = (key: string, label: string, description: string): DownloadColumn => ({key, label, description, type: "euro"});

const AREA_COLUMNS: DownloadColumn[] = [
  integer("jahr", "Jahr", "Berichtsjahr"),
  text("ebene", "Gebietsebene", "Gebietsebene (die ganze Stadt oder eine Ebene der Gebietsgliederung)"),
  text("gebiet_id", "Gebiets-Id", "Kennung des Gebiets (Text; führende Nullen bleiben erhalten)"),
  text("gebiet", "Gebiet", "Name des Gebiets")
];

interface AreaInfo {
  area_id: string;
  name: string;
  level: string;
  level_rank: number;
  level_name: string;
}

async function loadAreas(conn: DuckDBConnection): Promise<Map<string, AreaInfo>> {
  const rows = await queryRows<AreaInfo & Record<string, unknown>>(
    conn,
    "SELECT a.area_id, a.name, a.level, a.level_rank, l.name AS level_name FROM areas a JOIN area_levels l ON l.level = a.level ORDER BY a.level_rank, a.area_id"
  );
  return new Map(rows.map((r) => [r.area_id, r]));
}

function areaCells(areas: Map<string, AreaInfo>, year: number, areaId: string): DownloadRow {
  const a = areas.get(areaId);
  return {jahr: year, ebene: a?.level_name ?? "", gebiet_id: areaId, gebiet: a?.name ?? ""};
}

function signifText(signif: number | null): string {
  if (signif === 1) return "über dem Stadtwert";
  if (signif === -1) return "unter dem Stadtwert";
  if (signif === 0) return "kein deutlicher Unterschied";
  return "";
}

// ---------------------------------------------------------------------------
// indicator values

type CatalogueRow = {
  indicator_id: string;
  title: string;
  short_title: string;
  definition: string;
  topic: string;
  kind: string;
  unit: string;
  source: string;
  life_phase: string;
  numerator_label: string;
  denominator_label: string;
  polarity: number;
  in_report: boolean;
};

/** A row of indicator_published as the downloads read it (joined with its area level and provenance). */
type PublishedRow = Omit<IndicatorValueRow, "level" | "signif"> & {
  level_rank: number;
  signif: number | null;
  suppressed: string | null;
  pooled_suppressed: string | null;
  synthetic: boolean;
};

function indicatorColumns(c: CatalogueRow, changeYears: number): DownloadColumn[] {
  const money = c.kind === "per_capita";
  const value = (key: string, label: string, description: string): DownloadColumn => (money ? euro(key, label, description) : percent(key, label, description));
  const diffUnit = money ? "€" : "Prozentpunkte";
  const diff = (key: string, label: string, description: string): DownloadColumn => (money ? euro(key, label, description) : num(key, label, description));
  const valueName = c.kind === "proportion" ? "Anteil" : c.kind === "ratio" ? "Quote" : "Wert";
  const interval = c.kind === "proportion";
  return [
    ...AREA_COLUMNS,
    money ? euro("zaehler", `Zähler: ${c.numerator_label}`, `Zähler des Indikators (${c.numerator_label})`) : num("zaehler", `Zähler: ${c.numerator_label}`, `Zähler des Indikators (${c.numerator_label})`),
    num("nenner", `Nenner: ${c.denominator_label}`, `Nenner des Indikators (${c.denominator_label})`),
    value("wert", `${valueName} (${c.unit === "€" ? "€" : "%"})`, `${c.title}: Zähler geteilt durch Nenner`),
    ...(interval
      ? [
          percent("ki_unten", "Konfidenzintervall unten (%)", "Untere Grenze des 95-%-Konfidenzintervalls nach Wilson"),
          percent("ki_oben", "Konfidenzintervall oben (%)", "Obere Grenze des 95-%-Konfidenzintervalls nach Wilson")
        ]
      : []),
    value("stadtwert", `Stadtwert (${c.unit === "€" ? "€" : "%"})`, "Wert der ganzen Stadt im selben Jahr"),
    diff("abweichung_stadt", `Abweichung vom Stadtwert (${diffUnit})`, `Wert minus Stadtwert, in ${diffUnit}`),
    ...(interval ? [text("vergleich_stadt", "Vergleich mit dem Stadtwert", "über/unter dem Stadtwert: das Gebiet unterscheidet sich statistisch gesichert vom übrigen Stadtgebiet (Newcombe, 95 %, Benjamini-Hochberg je Indikator, Jahr und Ebene)")] : []),
    ...(interval
      ? [
          percent("trichter95_unten", "Trichtergrenze 95 % unten (%)", "Kontrollgrenze des Trichterdiagramms beim Nenner dieser Zeile: so weit kann ein Gebiet dieser Größe allein durch Zufall unter dem Stadtwert liegen (95 %)"),
          percent("trichter95_oben", "Trichtergrenze 95 % oben (%)", "Kontrollgrenze des Trichterdiagramms beim Nenner dieser Zeile, oben (95 %)"),
          percent("trichter998_unten", "Trichtergrenze 99,8 % unten (%)", "Kontrollgrenze des Trichterdiagramms beim Nenner dieser Zeile, unten (99,8 %)"),
          percent("trichter998_oben", "Trichtergrenze 99,8 % oben (%)", "Kontrollgrenze des Trichterdiagramms beim Nenner dieser Zeile, oben (99,8 %)")
        ]
      : []),
    num("zaehler_3j", `Zähler 3 Jahre: ${c.numerator_label}`, "Zähler, summiert über das Berichtsjahr und die zwei Jahre davor"),
    num("nenner_3j", `Nenner 3 Jahre: ${c.denominator_label}`, "Nenner, summiert über das Berichtsjahr und die zwei Jahre davor"),
    value("wert_3j", `Dreijahreswert (${c.unit === "€" ? "€" : "%"})`, "Gepoolter Wert der drei Jahre (Summe der Zähler durch Summe der Nenner)"),
    ...(interval
      ? [
          percent("ki_unten_3j", "Konfidenzintervall Dreijahreswert unten (%)", "Untere Grenze des 95-%-Konfidenzintervalls des Dreijahreswerts"),
          percent("ki_oben_3j", "Konfidenzintervall Dreijahreswert oben (%)", "Obere Grenze des 95-%-Konfidenzintervalls des Dreijahreswerts")
        ]
      : []),
    diff("veraenderung_1j", `Veränderung zum Vorjahr (${diffUnit})`, `Wert minus Wert des Vorjahres, in ${diffUnit}`),
    diff("veraenderung_kj", `Veränderung über ${changeYears} ${changeYears === 1 ? "Jahr" : "Jahre"} (${diffUnit})`, `Wert minus Wert von vor ${changeYears} ${changeYears === 1 ? "Jahr" : "Jahren"}, in ${diffUnit}`),
    text("geheimhaltung", "Geheimhaltung", `„${SECRET}“: Jahreswert zum Schutz kleiner Fallzahlen nicht veröffentlicht`),
    text("geheimhaltung_3j", "Geheimhaltung Dreijahreswert", `„${SECRET}“: Dreijahreswert zum Schutz kleiner Fallzahlen nicht veröffentlicht`),
    text("beispieldaten", "Beispieldaten", "„ja“: der Wert beruht ganz oder teilweise auf synthetischen Beispieldaten")
  ];
}

/** `value`, or nothing when the cell is withheld (published rows carry no numbers for withheld cells; this keeps it so even if that changed). */
function unlessSecret(secret: boolean, value: number | null): number | null {
  return secret ? null : value;
}

/** The funnel-plot control limits around the city value at the row's denominator (loaders/stats/compare.ts: funnelLimits). */
function funnelCells(n: number | null, p0: number | null): Record<"trichter95_unten" | "trichter95_oben" | "trichter998_unten" | "trichter998_oben", number | null> {
  const l95 = n === null || p0 === null ? null : funnelLimits(n, p0, WILSON_Z);
  const l998 = n === null || p0 === null ? null : funnelLimits(n, p0, Z_998);
  return {trichter95_unten: l95?.lo ?? null, trichter95_oben: l95?.hi ?? null, trichter998_unten: l998?.lo ?? null, trichter998_oben: l998?.hi ?? null};
}

function indicatorRow(p: PublishedRow, areas: Map<string, AreaInfo>): DownloadRow {
  const annualSecret = p.suppressed !== null;
  const pooledSecret = p.pooled_suppressed !== null;
  // plain functions, no closures per row (this runs for every row of every indicator)
  const a = unlessSecret.bind(null, annualSecret);
  const pooled = unlessSecret.bind(null, pooledSecret);
  return {
    ...areaCells(areas, p.year, p.area_id),
    zaehler: a(p.numerator),
    nenner: a(p.denominator),
    wert: a(p.rate),
    ki_unten: a(p.ci_lo),
    ki_oben: a(p.ci_hi),
    stadtwert: p.city_rate,
    abweichung_stadt: a(p.diff_city),
    vergleich_stadt: annualSecret ? "" : signifText(p.signif),
    // the funnel limits reveal the denominator: only where it is published
    ...funnelCells(annualSecret || p.denominator === null || p.city_rate === null ? null : p.denominator, p.city_rate),
    zaehler_3j: pooled(p.pooled_numerator),
    nenner_3j: pooled(p.pooled_denominator),
    wert_3j: pooled(p.pooled_rate),
    ki_unten_3j: pooled(p.pooled_ci_lo),
    ki_oben_3j: pooled(p.pooled_ci_hi),
    veraenderung_1j: a(p.change_1y),
    veraenderung_kj: a(p.change_ky),
    geheimhaltung: annualSecret ? SECRET : "",
    geheimhaltung_3j: pooledSecret ? SECRET : "",
    beispieldaten: p.synthetic ? "ja" : "nein"
  };
}

async function indicatorTables(conn: DuckDBConnection, areas: Map<string, AreaInfo>, config: CityConfig): Promise<DownloadTable[]> {
  const catalogue = await queryRows<CatalogueRow>(conn, "SELECT * FROM indicator_catalogue ORDER BY rowid");
  const published = await queryRows<PublishedRow>(
    conn,
    `SELECT p.*, a.level_rank, coalesce(v.synthetic, false) AS synthetic
     FROM indicator_published p JOIN areas a USING (area_id)
     LEFT JOIN indicator_provenance v ON v.indicator_id = p.indicator_id AND v.year = p.year
     ORDER BY p.indicator_id, p.year, a.level_rank, p.area_id`
  );
  const byIndicator = new Map<string, PublishedRow[]>();
  for (const p of published) {
    const list = byIndicator.get(p.indicator_id);
    if (list) list.push(p);
    else byIndicator.set(p.indicator_id, [p]);
  }
  return catalogue.map((c) => {
    const columns = indicatorColumns(c, config.need_index.dynamics_years);
    const keys = new Set(columns.map((col) => col.key));
    return {
      id: `indikator_${asciiId(c.indicator_id)}`,
      title: c.title,
      description: `${c.definition} Quelle: ${c.source}. Werte für jedes Jahr und Gebiet; geheim gehaltene Werte sind leer und in der Spalte „Geheimhaltung“ markiert.`,
      columns,
      rows: (byIndicator.get(c.indicator_id) ?? []).map((p) => Object.fromEntries(Object.entries(indicatorRow(p, areas)).filter(([k]) => keys.has(k))))
    };
  });
}

function catalogueTable(catalogue: CatalogueRow[]): DownloadTable {
  return {
    id: "indikatorenkatalog",
    title: "Indikatorenkatalog",
    description: "Definition, Zähler, Nenner und Quelle jedes Indikators; die Dateien indikator_<Id> enthalten die Werte.",
    columns: [
      text("indikator_id", "Indikator-Id", "Kennung des Indikators (Dateiname indikator_<Id>)"),
      text("titel", "Titel", "Name des Indikators"),
      text("kurztitel", "Kurztitel", "Kurzname für Tabellen und Grafiken"),
      text("thema", "Thema", "Themenbereich"),
      text("definition", "Definition", "Was der Indikator misst"),
      text("zaehler", "Zähler", "Was im Zähler gezählt wird"),
      text("nenner", "Nenner", "Was im Nenner gezählt wird"),
      text("einheit", "Einheit", "% oder €"),
      text("richtung", "Richtung", "Ob ein höherer Wert mehr oder weniger Bedarf bedeutet"),
      text("quelle", "Quelle", "Datenquelle")
    ],
    rows: catalogue.map((c) => ({
      indikator_id: c.indicator_id,
      titel: c.title,
      kurztitel: c.short_title,
      thema: c.topic,
      definition: c.definition,
      zaehler: c.numerator_label,
      nenner: c.denominator_label,
      einheit: c.unit,
      richtung: c.polarity > 0 ? "höher = mehr Bedarf" : c.polarity < 0 ? "höher = weniger Bedarf" : "ohne Richtung",
      quelle: c.source
    }))
  };
}

// ---------------------------------------------------------------------------
// need index

async function needIndexTable(conn: DuckDBConnection, areas: Map<string, AreaInfo>): Promise<DownloadTable> {
  const rows = await queryRows<{year: number; area_id: string; status_z: number | null; status_class: number | null; dynamics_z: number | null; dynamics_class: number | null; dynamics_se: number | null; basis: string | null; class_method: string | null}>(
    conn,
    "SELECT n.year, n.area_id, n.status_z, n.status_class, n.dynamics_z, n.dynamics_class, n.dynamics_se, n.basis, n.class_method FROM need_index n JOIN areas a USING (area_id) ORDER BY n.year, a.level_rank, n.area_id"
  );
  return {
    id: "bedarfsindex",
    title: "Bedarfsindex und Dynamikindex",
    description: "Bedarfsindex (z-Summen-Verfahren) mit Klassen 1 bis 4 (4 = sehr hoher Bedarf; Schwellenwerte, bei weniger als 20 Gebieten einer Ebene Rangklassen) und Dynamikindex mit Klassen 1 bis 3 (3 = Bedarf nimmt zu, nur jenseits der Zufallsschwankung), je Jahr, Gebietsebene und Gebiet.",
    columns: [
      ...AREA_COLUMNS,
      num("bedarfsindex_z", "Bedarfsindex (z-Wert)", "Standardisierte Summe der Indikatoren; höher = mehr Bedarf", 4),
      integer("bedarfsklasse", "Bedarfsklasse", "1 geringer, 2 mittlerer, 3 hoher, 4 sehr hoher Bedarf"),
      text("bedarfsklasse_text", "Bedarfsklasse (Text)", "Bedeutung der Bedarfsklasse"),
      num("dynamikindex_z", "Dynamikindex (z-Wert)", "Standardisierte Summe der Veränderungen; höher = Bedarf nimmt stärker zu", 4),
      num("dynamikindex_standardfehler", "Dynamikindex (Standardfehler)", "Stichprobenfehler des Dynamikindex; Klasse 1 oder 3 nur, wenn der Index um mehr als 1,96 Standardfehler jenseits von ∓1 liegt", 4),
      integer("dynamikklasse", "Dynamikklasse", "1 Bedarf nimmt ab, 2 stabil oder keine gesicherte Veränderung, 3 Bedarf nimmt zu"),
      text("dynamikklasse_text", "Dynamikklasse (Text)", "Bedeutung der Dynamikklasse"),
      text("grundlage", "Grundlage", "Jahreswert oder Dreijahresmittel der Indikatoren, je Ebene für alle Jahre gleich"),
      text("klassenbildung", "Klassenbildung", "Schwellenwerte (z < −1, bis +1, bis +1,5, darüber) oder Rangklassen (vier etwa gleich große Gruppen, bei weniger als 20 Gebieten einer Ebene)")
    ],
    rows: rows.map((r) => ({
      ...areaCells(areas, r.year, r.area_id),
      bedarfsindex_z: r.status_z,
      bedarfsklasse: r.status_class,
      bedarfsklasse_text: needClassLabel(r.status_class),
      dynamikindex_z: r.dynamics_z,
      dynamikindex_standardfehler: r.dynamics_se,
      dynamikklasse: r.dynamics_class,
      dynamikklasse_text: r.dynamics_class === 2 && r.dynamics_z !== null && Math.abs(r.dynamics_z) > 1 ? "keine gesicherte Veränderung" : dynamicsClassLabel(r.dynamics_class),
      grundlage: r.basis ?? "",
      klassenbildung: r.class_method ?? ""
    }))
  };
}

// ---------------------------------------------------------------------------
// Kita coverage

async function kitaTable(conn: DuckDBConnection, areas: Map<string, AreaInfo>, config: CityConfig): Promise<DownloadTable> {
  const years = (await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM kitas ORDER BY year")).map((r) => r.year);
  const {withheld} = await kitaSuppression(conn, null);
  const targets = config.kita_targets;
  const rows: DownloadRow[] = [];
  for (const year of years) {
    const facts = await queryRows<{area_id: string; kitas: number; children_u3: number | null; places_u3: number; children_ue3: number | null; places_ue3: number}>(conn, kitaAreasSql(year, null));
    facts.sort((a, b) => (areas.get(a.area_id)?.level_rank ?? 0) - (areas.get(b.area_id)?.level_rank ?? 0) || (a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : 0));
    for (const f of facts) {
      const row: DownloadRow = {...areaCells(areas, year, f.area_id), kitas: f.kitas};
      const secret: string[] = [];
      for (const [key, label] of [["u3", "U3"], ["ue3", "Ü3"]] as const) {
        const children = key === "u3" ? f.children_u3 : f.children_ue3;
        const places = key === "u3" ? f.places_u3 : f.places_ue3;
        const target = targets[key];
        if (withheld.has(`${key}|${year}|${f.area_id}`)) {
          secret.push(label);
          Object.assign(row, {[`kinder_${key}`]: null, [`plaetze_${key}`]: null, [`quote_${key}`]: null, [`ziel_${key}`]: target, [`fehlende_plaetze_${key}`]: null});
        } else {
          const ok = children !== null && children > 0;
          Object.assign(row, {
            [`kinder_${key}`]: children,
            [`plaetze_${key}`]: places,
            [`quote_${key}`]: ok ? places / children : null,
            [`ziel_${key}`]: target,
            [`fehlende_plaetze_${key}`]: ok ? missingPlaces(target, children, places) : null
          });
        }
      }
      row.geheimhaltung = secret.length ? `${secret.join(" und ")} ${SECRET}` : "";
      rows.push(row);
    }
  }
  const group = (key: "u3" | "ue3", label: string, who: string): DownloadColumn[] => [
    integer(`kinder_${key}`, `Kinder ${label}`, `Zahl der ${who} im Gebiet`),
    integer(`plaetze_${key}`, `Plätze ${label}`, `Genehmigte Kita-Plätze ${label}`),
    percent(`quote_${key}`, `Versorgungsquote ${label} (%)`, `Plätze ${label} je Kind`),
    percent(`ziel_${key}`, `Ziel ${label} (%)`, `Zielquote der Stadt für ${label}`),
    integer(`fehlende_plaetze_${key}`, `fehlende Plätze ${label}`, "max(0, aufgerundet(Ziel × Kinder) − Plätze)")
  ];
  return {
    id: "kita_versorgung",
    title: "Kita-Versorgung je Gebiet",
    description: "Kinder, genehmigte Plätze, Versorgungsquote und fehlende Plätze bis zum Ziel der Stadt, für Kinder unter 3 (U3) und von 3 bis unter 6 Jahren (Ü3), je Jahr und Gebiet. Zahlen, die zum Schutz kleiner Fallzahlen geheim sind, bleiben leer.",
    columns: [
      ...AREA_COLUMNS,
      integer("kitas", "Kitas", "Zahl der Kitas im Gebiet"),
      ...group("u3", "U3", "Kinder unter 3 Jahren"),
      ...group("ue3", "Ü3", "Kinder von 3 bis unter 6 Jahren"),
      text("geheimhaltung", "Geheimhaltung", `„U3 ${SECRET}“ bzw. „Ü3 …“: Werte dieser Altersgruppe nicht veröffentlicht`)
    ],
    rows
  };
}

// ---------------------------------------------------------------------------
// funding per area

async function fundingTable(conn: DuckDBConnection, areas: Map<string, AreaInfo>): Promise<DownloadTable> {
  const years = (await queryRows<{year: number}>(conn, "SELECT DISTINCT year FROM measures WHERE status = 'bewilligt' ORDER BY year")).map((r) => r.year);
  const levels = await queryRows<{level: string; level_rank: number}>(conn, "SELECT level, level_rank FROM area_levels WHERE level_rank > 0 ORDER BY level_rank");
  const secret = new Set(
    (await queryRows<{year: number; area_id: string}>(conn, "SELECT year, area_id FROM indicator_published WHERE indicator_id = 'funding_per_child' AND suppressed IS NOT NULL")).map((r) => `${r.year}|${r.area_id}`)
  );
  const rows: DownloadRow[] = [];
  const make = (year: number, areaId: string, children: number, amount: number, needYear: number | null, needClass: number | null): DownloadRow => {
    const hidden = secret.has(`${year}|${areaId}`);
    return {
      ...areaCells(areas, year, areaId),
      bedarfsindex_jahr: needYear,
      bedarfsklasse: needClass,
      bedarfsklasse_text: needClassLabel(needClass),
      kinder_0_18: hidden ? null : children,
      bewilligt_eur: hidden ? null : amount,
      eur_je_kind: hidden || !(children > 0) ? null : amount / children,
      geheimhaltung: hidden ? SECRET : ""
    };
  };
  const cityTotals = new Map(
    (
      await queryRows<{year: number; children: number | null; amount: number | null}>(
        conn,
        `SELECT py.year,
                (SELECT sum(p.children_0_18) FROM pop_wide p WHERE p.year = py.pop_year) AS children,
                (SELECT sum(a.amount_eur) FROM measure_allocation a WHERE a.year = py.year AND a.status = 'bewilligt') AS amount
         FROM population_year py WHERE py.year IN (SELECT year FROM measures WHERE status = 'bewilligt')`
      )
    ).map((r) => [r.year, r])
  );
  const root = [...areas.values()].find((a) => a.level_rank === 0);
  const perLevel = new Map<string, DownloadRow[]>();
  for (const {level} of levels) {
    const need = await queryRows<{year: number; area_id: string; need_year: number | null; need_class: number | null; population: number}>(conn, needAreasSql(level));
    const funding = await queryRows<{year: number; area_id: string; amount: number}>(conn, fundingByAreaSql(level));
    const amounts = new Map<string, number>();
    for (const f of funding) amounts.set(`${f.year}|${f.area_id}`, (amounts.get(`${f.year}|${f.area_id}`) ?? 0) + f.amount);
    perLevel.set(
      level,
      need.filter((n) => years.includes(n.year)).map((n) => make(n.year, n.area_id, n.population, amounts.get(`${n.year}|${n.area_id}`) ?? 0, n.need_class === null ? null : n.need_year, n.need_class))
    );
  }
  for (const year of years) {
    const city = cityTotals.get(year);
    if (root && city) rows.push(make(year, root.area_id, city.children ?? 0, city.amount ?? 0, null, null));
    for (const {level} of levels) rows.push(...(perLevel.get(level) ?? []).filter((r) => r.jahr === year));
  }
  return {
    id: "foerderung_gebiete",
    title: "Bewilligte Fördermittel je Gebiet",
    description: "Bewilligte Fördermittel je Jahr und Gebiet (stadtweite Maßnahmen nach der Größe ihrer Zielgruppe verteilt), Kinder unter 18 Jahren, € je Kind und die Bedarfsklasse des Gebiets. Zahlen, die zum Schutz kleiner Fallzahlen geheim sind, bleiben leer.",
    columns: [
      ...AREA_COLUMNS,
      integer("bedarfsindex_jahr", "Jahr des Bedarfsindex", "Jahr des verwendeten Bedarfsindex (dasselbe Jahr, sonst das letzte frühere)"),
      integer("bedarfsklasse", "Bedarfsklasse", "1 geringer, 2 mittlerer, 3 hoher, 4 sehr hoher Bedarf"),
      text("bedarfsklasse_text", "Bedarfsklasse (Text)", "Bedeutung der Bedarfsklasse"),
      integer("kinder_0_18", "Kinder unter 18", "Kinder und Jugendliche von 0 bis unter 18 Jahren"),
      euro("bewilligt_eur", "bewilligt (€)", "Bewilligte Fördermittel in €"),
      euro("eur_je_kind", "€ je Kind", "Bewilligte Fördermittel je Kind unter 18 Jahren"),
      text("geheimhaltung", "Geheimhaltung", `„${SECRET}“: Werte zum Schutz kleiner Fallzahlen nicht veröffentlicht`)
    ],
    rows
  };
}

// ---------------------------------------------------------------------------
// measures

async function measuresTable(conn: DuckDBConnection, areas: Map<string, AreaInfo>): Promise<DownloadTable> {
  const rows = await queryRows<{
    measure_id: number;
    year: number;
    programme: string;
    measure: string;
    provider: string | null;
    amount_eur: number;
    status: string;
    handlungsfeld: string[] | null;
    life_phases: string[] | null;
    areas: string[] | null;
    city_wide: boolean;
    target_group: string | null;
    reach: number | null;
    reach_unit: string | null;
    source: string | null;
    note: string | null;
  }>(conn, "SELECT * FROM measures ORDER BY year, programme, measure_id");
  return {
    id: "massnahmen",
    title: "Maßnahmen und Förderung",
    description: "Alle erfassten Maßnahmen mit Programm, Träger, Betrag, Status, Handlungsfeldern, Lebensphasen, Gebieten, Zielgruppe und Reichweite.",
    columns: [
      integer("jahr", "Jahr", "Förderjahr"),
      text("programm", "Programm", "Förderprogramm"),
      text("massnahme", "Maßnahme", "Name der Maßnahme"),
      text("traeger", "Träger", "Träger der Maßnahme"),
      euro("betrag_eur", "Betrag (€)", "Fördersumme in €"),
      text("status", "Status", "bewilligt oder beantragt"),
      text("handlungsfelder", "Handlungsfelder", "Handlungsfelder (I–VII) der Maßnahme"),
      text("lebensphasen", "Lebensphasen", "Lebensphasen, an die sich die Maßnahme richtet"),
      text("gebiete", "Gebiete", "Gebiete der Maßnahme oder „stadtweit“"),
      text("zielgruppe", "Zielgruppe", "Zielgruppe, nach der stadtweite Mittel und Reichweiten auf Gebiete verteilt werden"),
      num("reichweite", "Reichweite", "Erreichte Personen oder Familien"),
      text("reichweite_einheit", "Einheit der Reichweite", "Personen oder Familien"),
      text("quelle", "Quelle", "Herkunft der Angaben"),
      text("anmerkung", "Anmerkung", "Anmerkung")
    ],
    rows: rows.map((m) => ({
      jahr: m.year,
      programm: m.programme,
      massnahme: m.measure,
      traeger: m.provider ?? "",
      betrag_eur: m.amount_eur,
      status: m.status,
      handlungsfelder: (m.handlungsfeld ?? []).map((h) => `${h} ${HANDLUNGSFELD_LABELS[h as keyof typeof HANDLUNGSFELD_LABELS] ?? ""}`.trim()).join("; "),
      lebensphasen: (m.life_phases ?? []).map((p) => LIFE_PHASE_LABELS[p as keyof typeof LIFE_PHASE_LABELS] ?? p).join("; "),
      gebiete: m.city_wide ? "stadtweit" : (m.areas ?? []).map((id) => areas.get(id)?.name ?? id).join(", "),
      zielgruppe: m.target_group ? (TARGET_GROUP_LABELS[m.target_group] ?? m.target_group) : "",
      reichweite: m.reach,
      reichweite_einheit: m.reach_unit ? (REACH_UNIT_LABELS[m.reach_unit] ?? m.reach_unit) : "",
      quelle: m.source ?? "",
      anmerkung: m.note ?? ""
    }))
  };
}

// ---------------------------------------------------------------------------
// data quality

async function qualityTables(conn: DuckDBConnection): Promise<DownloadTable[]> {
  const files = await queryRows<{file: string; rows_read: number; rows_loaded: number; rows_rejected: number; total_rows: number; encoding: string | null; delimiter: string | null}>(conn, "SELECT * FROM load_report ORDER BY file");
  const messages = await queryRows<{kind: string; file: string; line: number | null; column_name: string | null; code: string; message: string}>(
    conn,
    `SELECT 'abgelehnte Zeile' AS kind, * FROM (${publicQuarantineSql()})
     UNION ALL SELECT 'Warnung', file, line, column_name, code, message FROM load_warnings
     ORDER BY file, line NULLS FIRST, kind, code`
  );
  const delimiterName = (d: string | null): string => (d === ";" ? "Semikolon" : d === "," ? "Komma" : d === "\t" ? "Tabulator" : (d ?? ""));
  return [
    {
      id: "datenqualitaet_dateien",
      title: "Datenqualität: gelesene Dateien",
      description: "Je Eingangsdatei: gelesene, geladene und abgelehnte Zeilen, geprüfte Summenzeilen, Zeichenkodierung und Trennzeichen.",
      columns: [
        text("datei", "Datei", "Name der Eingangsdatei"),
        integer("gelesen", "gelesen", "Gelesene Datenzeilen (gelesen = geladen + abgelehnt)"),
        integer("geladen", "geladen", "Geladene Datenzeilen"),
        integer("abgelehnt", "abgelehnt", "Abgelehnte Datenzeilen (siehe Meldungen)"),
        integer("summenzeilen", "Summenzeilen", "Erkannte und geprüfte Summenzeilen (nicht mitgezählt)"),
        text("kodierung", "Zeichenkodierung", "Erkannte Zeichenkodierung"),
        text("trennzeichen", "Trennzeichen", "Erkanntes Trennzeichen")
      ],
      rows: files.map((f) => ({
        datei: f.file,
        gelesen: f.rows_read,
        geladen: f.rows_loaded,
        abgelehnt: f.rows_rejected,
        summenzeilen: f.total_rows,
        kodierung: f.encoding ?? "",
        trennzeichen: delimiterName(f.delimiter)
      }))
    },
    {
      id: "datenqualitaet_meldungen",
      title: "Datenqualität: Meldungen",
      description: "Abgelehnte Zeilen und Warnungen beim Einlesen, mit Datei, Zeile, Spalte und Grund. Der Inhalt abgelehnter Zeilen wird nicht veröffentlicht.",
      columns: [
        text("art", "Art", "abgelehnte Zeile oder Warnung"),
        text("datei", "Datei", "Name der Eingangsdatei"),
        integer("zeile", "Zeile", "Zeilennummer in der Datei (wie im Texteditor)"),
        text("spalte", "Spalte", "Betroffene Spalte"),
        text("code", "Code", "Kurzbezeichnung des Grundes"),
        text("meldung", "Meldung", "Grund auf Deutsch")
      ],
      rows: messages.map((m) => ({art: m.kind, datei: m.file, zeile: m.line, spalte: m.column_name ?? "", code: m.code, meldung: m.message}))
    }
  ];
}

// ---------------------------------------------------------------------------
// entry points

/** Every published download table of the city database, in display order. */
export async function downloadTables(conn: DuckDBConnection): Promise<DownloadTable[]> {
  const [city] = await queryRows<{config_json: string}>(conn, "SELECT config_json FROM city");
  if (!city) throw new Error("Die Datenbank enthält keine Stadt.");
  const config = JSON.parse(city.config_json) as CityConfig;
  const areas = await loadAreas(conn);
  const catalogue = await queryRows<CatalogueRow>(conn, "SELECT * FROM indicator_catalogue ORDER BY rowid");
  return [
    catalogueTable(catalogue),
    ...(await indicatorTables(conn, areas, config)),
    await needIndexTable(conn, areas),
    await kitaTable(conn, areas, config),
    await fundingTable(conn, areas),
    await measuresTable(conn, areas),
    ...(await qualityTables(conn))
  ];
}

/** The table as CSV for German Excel (toExcelCsv: BOM, ";", CRLF, decimal comma, formula guard). */
export function toCsv(table: DownloadTable): string {
  return toExcelCsv(table.rows, table.columns);
}

function parquetType(column: DownloadColumn): "VARCHAR" | "BIGINT" | "DOUBLE" {
  if (column.type === "text") return "VARCHAR";
  return column.decimals === 0 ? "BIGINT" : "DOUBLE";
}

function appendValue(appender: DuckDBAppender, column: DownloadColumn, value: DownloadValue | undefined, table: string): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  const type = parquetType(column);
  if (type === "VARCHAR") {
    appender.appendVarchar(String(value));
    return;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${table}: Spalte „${column.key}“ erwartet eine Zahl, erhalten: ${String(value)}`);
  if (type === "BIGINT") {
    if (!Number.isInteger(value)) throw new TypeError(`${table}: Spalte „${column.key}“ erwartet eine ganze Zahl, erhalten: ${value}`);
    appender.appendBigInt(BigInt(value));
  } else appender.appendDouble(value);
}

/**
 * The table as a Parquet file, written by DuckDB (COPY … (FORMAT parquet), built into the
 * node bindings, no extension download). Column names are the keys; text columns VARCHAR,
 * numbers DOUBLE (BIGINT for columns with decimals 0). Title, description and the German
 * column labels are stored as key/value metadata (title, description, columns as JSON).
 */
export async function toParquet(table: DownloadTable, scratch?: DuckDBConnection): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "chancenatlas-parquet-"));
  const file = join(dir, `${asciiId(table.id)}.parquet`);
  // an in-memory scratch database (never the city database, which is opened read-only)
  const instance = scratch ? null : await DuckDBInstance.create(":memory:");
  const conn = scratch ?? (await instance!.connect());
  try {
    const ident = (key: string): string => `"${key.replaceAll('"', '""')}"`;
    await conn.run(`CREATE OR REPLACE TABLE t (${table.columns.map((c) => `${ident(c.key)} ${parquetType(c)}`).join(", ")})`);
    const appender = await conn.createAppender("t");
    for (const row of table.rows) {
      for (const column of table.columns) appendValue(appender, column, row[column.key], table.id);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const columns = JSON.stringify(table.columns.map(({key, label, description, type}) => ({key, label, description, type})));
    await conn.run(`COPY t TO ${sql(file)} (FORMAT parquet, KV_METADATA {title: ${sql(table.title)}, description: ${sql(table.description)}, columns: ${sql(columns)}})`);
    return new Uint8Array(readFileSync(file));
  } finally {
    if (instance) {
      conn.closeSync();
      instance.closeSync();
    } else await conn.run("DROP TABLE IF EXISTS t");
    rmSync(dir, {recursive: true, force: true});
  }
}
