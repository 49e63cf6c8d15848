/**
 * The attacker's view of a city build: everything the site publishes about indicator cells
 * (the indicator page file and the indicator downloads, exactly as the exporters write them),
 * turned into PublishedCell rows for the LP auditor, with the true values from the internal
 * database for checking the ranges. Independent of the protection engine: it reads only
 * published rows, the catalogue's denominator cells and the thresholds.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../../loaders/db.ts";
import {loadCatalogue} from "../../loaders/indicators/catalogue.ts";
import {exportIndicatorValues} from "../../loaders/export/site.ts";
import {downloadTables} from "../../loaders/export/downloads.ts";
import {formatPercent} from "../../loaders/report/format.ts";
import {auditPublishedTables, cellKey, type AuditResult, type IndicatorSpec, type PublishedCell, type Truth} from "./lp-auditor.ts";

export interface SiteAudit extends AuditResult {
  /** withheld counts (sensitive or not) that the attacker determines exactly */
  exact: string[];
  withheldCells: number;
}

type Num = number | null;

/** An indicator row as the page file (Arrow) carries it. */
export interface PublishedIndicatorRow {
  indicator_id: string; area_id: string; year: number; numerator: Num; denominator: Num; rate: Num;
  pooled_rate: Num; suppressed: string | null; pooled_suppressed: string | null;
}

/** Annual and pooled cells from the page rows and the three-year counts of the downloads (key indicator|area|year). */
export function cellsFromPublished(rows: readonly PublishedIndicatorRow[], pooledCounts: ReadonlyMap<string, {n: Num; d: Num}>): PublishedCell[] {
  const cells: PublishedCell[] = [];
  for (const r of rows) {
    const year = Number(r.year);
    cells.push({indicator: r.indicator_id, area: r.area_id, year, kind: "annual", numerator: r.numerator, denominator: r.denominator, rate: r.rate, withheld: r.suppressed !== null});
    const pooled = pooledCounts.get(`${r.indicator_id}|${r.area_id}|${year}`);
    if (r.pooled_suppressed !== null || (pooled && pooled.n !== null)) {
      cells.push({indicator: r.indicator_id, area: r.area_id, year, kind: "pooled", numerator: pooled?.n ?? null, denominator: pooled?.d ?? null, rate: r.pooled_rate, withheld: r.pooled_suppressed !== null});
    }
  }
  return cells;
}

/** The published indicator cells of a city database, as the exporters write them. */
export async function publishedCells(conn: DuckDBConnection): Promise<PublishedCell[]> {
  const rows = (await exportIndicatorValues(conn)) as unknown as PublishedIndicatorRow[];
  const pooledCounts = new Map<string, {n: Num; d: Num}>();
  for (const table of await downloadTables(conn)) {
    const indicator = /^indikator_(.+)$/.exec(table.id)?.[1];
    if (!indicator) continue;
    for (const r of table.rows as Record<string, unknown>[]) {
      pooledCounts.set(`${indicator}|${String(r.gebiet_id)}|${Number(r.jahr)}`, {n: (r.zaehler_3j as Num) ?? null, d: (r.nenner_3j as Num) ?? null});
    }
  }
  return cellsFromPublished(rows, pooledCounts);
}

export function indicatorSpecs(ids: Iterable<string>): IndicatorSpec[] {
  const wanted = new Set(ids);
  return loadCatalogue()
    .filter((i) => wanted.has(i.id))
    // denominators are one variable where they count the same thing by definition (same cell and
    // expression: overweight and obesity share the measured children); SEU domains with their own
    // missing values have their own denominators, which the engine withholds together anyway
    .map((i) => ({id: i.id, kind: i.kind, denominatorCell: `${i.denominator_cell}:${i.denominator}`, ...(i.denominator_scale ? {denominatorScale: i.denominator_scale} : {}), numeratorPublic: i.numerator_public}));
}

/** True counts of every cell, with the fields the primary rule makes sensitive. */
export async function trueValues(conn: DuckDBConnection): Promise<Truth> {
  const rows = await queryRows<{indicator_id: string; area_id: string; year: number; numerator: Num; denominator: Num; pooled_numerator: Num; pooled_denominator: Num; kind: string; public_num: boolean; min_cases: number; min_denominator: number}>(conn, `
    SELECT v.indicator_id, v.area_id, v.year, v.numerator, v.denominator, v.pooled_numerator, v.pooled_denominator, c.kind, r.min_cases, r.min_denominator,
           NOT r.protect_numerator AS public_num
    FROM indicator_values v JOIN indicator_catalogue c USING (indicator_id) JOIN protection_rules r USING (indicator_id)`);
  const truth: Truth = new Map();
  for (const r of rows) {
    const add = (kind: "annual" | "pooled", n: Num, d: Num): void => {
      if (n === null || d === null) return;
      const small = (x: number, limit: number): boolean => x > 0 && x < limit;
      truth.set(cellKey({indicator: r.indicator_id, area: r.area_id, year: Number(r.year), kind}), {
        numerator: n,
        denominator: d,
        sensitive: {
          numerator: !r.public_num && small(n, r.min_cases),
          complement: !r.public_num && r.kind === "proportion" && small(d - n, r.min_cases),
          denominator: small(d, r.min_denominator)
        }
      });
    };
    add("annual", r.numerator, r.denominator);
    add("pooled", r.pooled_numerator, r.pooled_denominator);
  }
  return truth;
}

/**
 * Withheld numerators and complements the attacker determines exactly. Zero counts are not
 * sensitive (tau-Argus default: a published 0 for a district says its parts are 0 too), and a
 * denominator counts as published for its family unless it is sensitive, which the width check covers.
 */
export function exactRecoveries(result: AuditResult, truth: Truth): string[] {
  return result.targets
    .filter((target) => {
      const range = result.ranges.get(target.id);
      if (!range || range.max === null || range.max - range.min >= 1e-6 || target.field === "denominator") return false;
      const t = truth.get(target.cell);
      return t !== undefined && (target.field === "numerator" ? t.numerator : t.denominator - t.numerator) > 0;
    })
    .map((target) => target.id);
}

/** Runs the attacker's linear programme on published cells against the true values. */
export async function auditCells(cells: readonly PublishedCell[], truth: Truth, areas: readonly {area_id: string; parent_id: string | null}[], width: number): Promise<SiteAudit> {
  const parentOf = new Map(areas.map((a) => [a.area_id, a.parent_id === "" ? null : a.parent_id]));
  const result = await auditPublishedTables(cells, indicatorSpecs(new Set(cells.map((c) => c.indicator))), {parentOf}, {truth, width, pooledYears: 3});
  return {...result, exact: exactRecoveries(result, truth), withheldCells: cells.filter((c) => c.withheld).length};
}

/** Runs the attacker's linear programme on what the city's site publishes. */
export async function auditCity(conn: DuckDBConnection, width: number): Promise<SiteAudit> {
  const areas = await queryRows<{area_id: string; parent_id: string | null}>(conn, "SELECT area_id, parent_id FROM areas");
  return auditCells(await publishedCells(conn), await trueValues(conn), areas, width);
}

export interface WithheldValue {
  year: number;
  name: string;
  rate: number;
  short_title: string;
}

/** Every withheld cell below the city with its area name, rate and indicator short title. */
export async function withheldValues(conn: DuckDBConnection): Promise<WithheldValue[]> {
  return queryRows<WithheldValue & Record<string, unknown>>(conn, `
    SELECT v.year, a.name, v.rate, c.short_title FROM indicator_published p JOIN indicator_values v USING (indicator_id, area_id, year)
    JOIN indicator_catalogue c USING (indicator_id) JOIN areas a USING (area_id)
    WHERE p.suppressed IS NOT NULL AND v.rate IS NOT NULL AND a.level_rank > 0`);
}

/**
 * The sentence that quotes a withheld value the way the report quotes areas – "Name (12,3 %" in
 * a sentence about that indicator, the name standing on its own ("Mitte", not "Kirchhellen-Mitte").
 */
export function quotingSentence(sentences: readonly string[], w: WithheldValue): string | undefined {
  const quoted = `${w.name} (${formatPercent(w.rate)}`;
  return sentences.find((sentence) => sentence.includes(w.short_title) && sentence.split(quoted).slice(0, -1).some((before) => before === "" || /[\s,;:(]$/.test(before)));
}

/** Sentences of a text (split after . ! ?). */
export function sentencesOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/);
}
