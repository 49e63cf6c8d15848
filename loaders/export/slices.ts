/**
 * The page files of the site, cut from the exported (already protected) tables so that each
 * page loads only what it shows: indicator values per level, indicator and year; one file per
 * area profile; the map of one level; the Kita list of one year; the funding data of one level
 * and year. Pure functions of the exported rows (no database), so they are tested directly.
 *
 * Page files carry the annual indicator values the pages show; the three-year values and the
 * longer-term change are published in the downloads only.
 */
import type {Row} from "../db.ts";
import type {ArrowColumnType} from "./arrow.ts";
import type {CityMeta} from "./site.ts";
import {benjaminiHochberg, newcombePValue} from "../stats/compare.ts";
import {recentTrend, type TrendPoint} from "../stats/trend.ts";

/** Columns of one level, indicator and year (the comparison, Kita and report pages). */
export const YEAR_COLUMNS: Readonly<Record<string, ArrowColumnType>> = {
  year: "i16", area_id: "utf8", numerator: "f64", denominator: "f64", rate: "f64", ci_lo: "f64", ci_hi: "f64", city_rate: "f64",
  diff_city: "f64", signif: "i8", signif998: "i8", change_1y: "f64", suppressed: "dict", synthetic: "bool"
};

/** Columns of the series of one level and indicator over all years (the small multiples). */
export const SERIES_COLUMNS: Readonly<Record<string, ArrowColumnType>> = {year: "i16", area_id: "dict", rate: "f64", suppressed: "dict", synthetic: "bool"};

/** Columns of the city's own values, all indicators and years. */
export const CITY_COLUMNS: Readonly<Record<string, ArrowColumnType>> = {indicator_id: "dict", ...YEAR_COLUMNS, area_id: "dict"};

/** A path segment for a file name: area ids are kept as they are, only characters unsafe in a URL or a file name are escaped. */
export function fileSegment(id: string): string {
  return encodeURIComponent(id);
}

const pick = (row: Row, columns: Readonly<Record<string, unknown>>): Row => Object.fromEntries(Object.keys(columns).map((c) => [c, row[c] ?? null]));

/**
 * Up to this many rows (areas × years) the values of a level and indicator are one file with
 * every year; a larger level gets one file per year and a series file with the values the
 * small multiples draw, so that no page loads more than it shows.
 */
export const SPLIT_ROWS = 4000;

export interface IndicatorSlices {
  /** data/stadt.arrow: the city's rows */
  city: Row[];
  /** data/werte/<level>/<indicator>.arrow, or data/werte/<level>/<indicator>/<year>.arrow and …/verlauf.arrow */
  files: Map<string, {indicator: string; rows: Row[]; columns: Readonly<Record<string, ArrowColumnType>>}>;
  /** level → indicator → years, and whether the values are split by year */
  index: Record<string, Record<string, {years: number[]; split: boolean}>>;
}

/** Cuts the published indicator values (exportIndicatorValues) into the page files. */
export function indicatorSlices(values: readonly Row[], levels: CityMeta["levels"], splitRows = SPLIT_ROWS): IndicatorSlices {
  const rootLevel = levels.find((l) => l.level_rank === 0)?.level;
  const city: Row[] = [];
  const groups = new Map<string, {level: string; indicator: string; rows: Row[]}>();
  for (const row of values) {
    const level = String(row.level);
    const indicator = String(row.indicator_id);
    if (level === rootLevel) {
      city.push(pick(row, CITY_COLUMNS));
      continue;
    }
    const key = `${level}\0${indicator}`;
    const group = groups.get(key) ?? {level, indicator, rows: []};
    group.rows.push(row);
    groups.set(key, group);
  }
  const files: IndicatorSlices["files"] = new Map();
  const index: IndicatorSlices["index"] = {};
  for (const {level, indicator, rows} of groups.values()) {
    const years = [...new Set(rows.map((r) => Number(r.year)))].sort((a, b) => a - b);
    const split = rows.length > splitRows;
    const base = `data/werte/${fileSegment(level)}/${fileSegment(indicator)}`;
    if (!split) files.set(`${base}.arrow`, {indicator, rows: rows.map((r) => pick(r, YEAR_COLUMNS)), columns: YEAR_COLUMNS});
    else {
      for (const year of years) files.set(`${base}/${year}.arrow`, {indicator, rows: rows.filter((r) => Number(r.year) === year).map((r) => pick(r, YEAR_COLUMNS)), columns: YEAR_COLUMNS});
      files.set(`${base}/verlauf.arrow`, {indicator, rows: rows.map((r) => pick(r, SERIES_COLUMNS)), columns: SERIES_COLUMNS});
    }
    (index[level] ??= {})[indicator] = {years, split};
  }
  return {city, files, index};
}

interface AreaInfo {
  area_id: string;
  name: string;
  level: string;
  level_rank: number;
  parent_id: string | null;
  geometry?: unknown;
  tile_row?: number | null;
  tile_col?: number | null;
}

/** data/karte/<level>.json: the areas of one level with geometry or tile position, and the city outline. */
export function mapFiles(areas: readonly AreaInfo[], outline: unknown): Map<string, {level: string; value: {areas: AreaInfo[]; outline: unknown}}> {
  const files = new Map<string, {level: string; value: {areas: AreaInfo[]; outline: unknown}}>();
  for (const area of areas) {
    const path = `data/karte/${fileSegment(area.level)}.json`;
    const file = files.get(path) ?? {level: area.level, value: {areas: [], outline}};
    file.value.areas.push(area);
    files.set(path, file);
  }
  return files;
}

/** Leaf areas below (and including) every area: area id → ids of the lowest-level areas it contains. */
export function leavesBelow(areas: readonly AreaInfo[]): Map<string, string[]> {
  const byId = new Map(areas.map((a) => [a.area_id, a]));
  const lowest = Math.max(...areas.map((a) => a.level_rank));
  const below = new Map<string, string[]>();
  for (const leaf of areas.filter((a) => a.level_rank === lowest)) {
    for (let a: AreaInfo | undefined = leaf; a; a = a.parent_id === null ? undefined : byId.get(a.parent_id)) {
      const list = below.get(a.area_id) ?? [];
      list.push(leaf.area_id);
      below.set(a.area_id, list);
    }
  }
  return below;
}

export interface ProfileInputs {
  areas: readonly AreaInfo[];
  values: readonly Row[];
  need: readonly Row[];
  kitas: readonly Row[];
  funding: {measures: readonly Row[]; served: readonly Row[]};
  /** indicators that are proportions: they get the recent trend (default: none) */
  proportions?: ReadonlySet<string>;
}

/**
 * The Fingertips recent trend (loaders/stats/trend.ts) of every proportion indicator of one
 * area, over the five years up to the latest year of its series. It uses published counts only:
 * a withheld year makes the trend "cannot_be_calculated", which says no more than the
 * "geheim" flag of that year already does.
 */
export function areaTrends(values: readonly Row[], proportions: ReadonlySet<string>): Row[] {
  const byIndicator = new Map<string, TrendPoint[]>();
  for (const r of values) {
    const id = String(r.indicator_id);
    if (!proportions.has(id)) continue;
    const point: TrendPoint = {year: Number(r.year), numerator: r.numerator === null || r.numerator === undefined ? null : Number(r.numerator), denominator: r.denominator === null || r.denominator === undefined ? null : Number(r.denominator)};
    const list = byIndicator.get(id);
    if (list) list.push(point);
    else byIndicator.set(id, [point]);
  }
  return [...byIndicator].map(([id, series]) => {
    const t = recentTrend(series, Math.max(...series.map((p) => p.year)));
    return {indicator_id: id, trend: t.outcome, trend_chi2: t.chi2, trend_slope: t.slope};
  });
}

/** Value fields of an indicator row on a profile page. */
const PROFILE_VALUE_FIELDS = ["indicator_id", ...Object.keys(YEAR_COLUMNS)];

/**
 * data/gebiet/<area>.json: everything the profile page of one area shows – its values of all
 * indicators and years, its need index, the Kitas of the latest year inside it and the measures
 * that reach it with its share of their money.
 */
export function profileFiles(input: ProfileInputs): Map<string, Row> {
  const files = new Map<string, Row>();
  const byId = new Map(input.areas.map((a) => [a.area_id, a]));
  const group = <T,>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> => {
    const map = new Map<string, T[]>();
    for (const r of rows) {
      const k = key(r);
      const list = map.get(k);
      if (list) list.push(r);
      else map.set(k, [r]);
    }
    return map;
  };
  const values = group(input.values, (r) => String(r.area_id));
  const need = group(input.need, (r) => String(r.area_id));
  const served = group(input.funding.served, (r) => String(r.area_id));
  const measures = new Map(input.funding.measures.map((m) => [`${m.measure_id}`, m]));
  const kitaYear = input.kitas.length ? Math.max(...input.kitas.map((k) => Number(k.year))) : null;
  const kitasByArea = group(input.kitas.filter((k) => Number(k.year) === kitaYear), (k) => String(k.area_id));
  const leaves = leavesBelow(input.areas);
  const children = group(input.areas.filter((a) => a.parent_id !== null), (a) => String(a.parent_id));
  for (const area of input.areas) {
    if (area.level_rank === 0) continue;
    const parent = area.parent_id === null ? undefined : byId.get(area.parent_id);
    const leafIds = leaves.get(area.area_id) ?? [area.area_id];
    files.set(`data/gebiet/${fileSegment(area.area_id)}.json`, {
      area: {area_id: area.area_id, name: area.name, level: area.level, level_rank: area.level_rank},
      parent: parent ? {area_id: parent.area_id, name: parent.name, level_rank: parent.level_rank} : null,
      children: (children.get(area.area_id) ?? []).map((c) => ({area_id: c.area_id, name: c.name})),
      values: (values.get(area.area_id) ?? []).map((r) => Object.fromEntries(PROFILE_VALUE_FIELDS.map((f) => [f, r[f] ?? null]))),
      trends: areaTrends(values.get(area.area_id) ?? [], input.proportions ?? new Set()),
      need: (need.get(area.area_id) ?? []).map(({name: _name, ...r}) => r).sort((a, b) => Number(a.year) - Number(b.year)),
      kitas: {
        year: kitaYear,
        rows: leafIds.flatMap((id) => kitasByArea.get(id) ?? []).map((k) => ({
          name: k.name, provider_type: k.provider_type, area_id: k.area_id, places_u3: k.places_u3, places_ue3: k.places_ue3,
          familienzentrum: k.familienzentrum, pluskita: k.pluskita, synthetic: k.synthetic
        }))
      },
      // one row per measure that reaches the area: its money for the area follows the target population
      measures: (served.get(area.area_id) ?? []).flatMap((s) => {
        const m = measures.get(`${s.measure_id}`);
        if (!m) return [];
        return [{
          measure_id: m.measure_id, year: m.year, area_id: area.area_id, measure: m.measure, provider: m.provider, status: m.status,
          handlungsfeld: m.handlungsfeld, life_phases: m.life_phases, city_wide: m.city_wide, amount_eur: s.amount_eur
        }];
      }).sort((a, b) => Number(a.year) - Number(b.year) || Number(a.measure_id) - Number(b.measure_id))
    });
  }
  return files;
}

/** False discovery rate of the overview's changes (Benjamini–Hochberg over all changes of the level). */
export const CHANGE_FDR = 0.05;

/**
 * data/uebersicht.json: the overview page's biggest changes since the previous year (lowest
 * level, latest year) and the need classes of the lowest level in the latest year.
 *
 * Only changes that are signal count: proportions whose change from the previous year is
 * significant – Newcombe's two-sided p-value for two independent proportions (the same decision
 * as its interval), Benjamini–Hochberg at a false discovery rate of 5 % over every published
 * change of the level and year (often a thousand tests). Of those, the ten largest by size,
 * favourable or not. Changes of other kinds (€ per child, places per child) have no sampling
 * model and are left to the indicator pages. The family holds published cells only, so the
 * selection says nothing about withheld ones.
 */
export function overviewFile(values: readonly Row[], need: readonly Row[], city: CityMeta): Row {
  const level = city.levels.at(-1)?.level;
  const year = city.latest_year;
  const polarity = new Map(city.indicators.map((i) => [String(i.indicator_id), Number(i.polarity)]));
  const kind = new Map(city.indicators.map((i) => [String(i.indicator_id), String(i.kind)]));
  const key = (r: Row): string => `${String(r.indicator_id)}\u0000${String(r.area_id)}`;
  const previous = new Map(values.filter((r) => Number(r.year) === year - 1 && r.level === level).map((r) => [key(r), r]));
  const count = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const tested = values
    .filter((r) => Number(r.year) === year && r.level === level && r.change_1y !== null && (polarity.get(String(r.indicator_id)) ?? 0) !== 0 && kind.get(String(r.indicator_id)) === "proportion")
    .map((r) => {
      const before = previous.get(key(r));
      const [k1, n1, k0, n0] = [count(r.numerator), count(r.denominator), count(before?.numerator), count(before?.denominator)];
      const p = k1 === null || n1 === null || k0 === null || n0 === null ? null : newcombePValue(k1, n1, k0, n0);
      return {row: r, p};
    })
    .filter((t) => t.p !== null);
  const bh = benjaminiHochberg(tested.map((t) => t.p), CHANGE_FDR);
  const changes = tested
    .filter((_, i) => bh.rejected[i])
    .map((t) => ({row: t.row, adverse: Number(t.row.change_1y) * (polarity.get(String(t.row.indicator_id)) ?? 0)}))
    .sort((a, b) => Math.abs(b.adverse) - Math.abs(a.adverse))
    .slice(0, 10)
    .map(({row}) => ({indicator_id: row.indicator_id, year: row.year, area_id: row.area_id, name: row.name, rate: row.rate, change_1y: row.change_1y, synthetic: row.synthetic}));
  return {
    year,
    level,
    changes,
    changes_tested: tested.length,
    changes_significant: bh.rejected.filter(Boolean).length,
    need: need.filter((r) => Number(r.year) === year && r.level === level)
  };
}

/** data/gebiete.json: every area below the city (without geometry) with its parent's name and its need class in the latest year. */
export function areaListFile(areas: readonly AreaInfo[], need: readonly Row[], year: number): Row {
  const byId = new Map(areas.map((a) => [a.area_id, a]));
  const needNow = new Map(need.filter((r) => Number(r.year) === year).map((r) => [String(r.area_id), r]));
  return {
    areas: areas.filter((a) => a.level_rank > 0).map((a) => ({
      area_id: a.area_id, name: a.name, level: a.level, parent: a.parent_id === null ? "" : (byId.get(a.parent_id)?.name ?? ""),
      status_class: needNow.get(a.area_id)?.status_class ?? null, status_z: needNow.get(a.area_id)?.status_z ?? null
    }))
  };
}

/** Columns of data/kitas/<year>.arrow. */
export const KITA_COLUMNS: Readonly<Record<string, ArrowColumnType>> = {
  name: "utf8", area_id: "dict", area_name: "dict", provider_type: "dict", lon: "f64", lat: "f64", places_u3: "i32", places_ue3: "i32",
  familienzentrum: "bool", pluskita: "bool", synthetic: "bool"
};

/** data/kitas/<year>.arrow: the Kitas of one year. */
export function kitaFiles(kitas: readonly Row[]): Map<string, {year: number; rows: Row[]}> {
  const files = new Map<string, {year: number; rows: Row[]}>();
  for (const k of kitas) {
    const year = Number(k.year);
    const path = `data/kitas/${year}.arrow`;
    const file = files.get(path) ?? {year, rows: []};
    file.rows.push(pick(k, KITA_COLUMNS));
    files.set(path, file);
  }
  return files;
}

interface FundingExport {
  years: number[];
  grantedYears: number[];
  measures: Row[];
  totals: Row[];
  served: Row[];
  levels: Record<string, {concentration: Row[]; reach: Row[]; allocation: unknown; chain: Row[]; perArea: Row[]}>;
}

export interface FundingSlices {
  /** data/foerderung.json */
  common: Row;
  /** data/foerderung/<level>/<year>.json, data/verteilung/<level>.json, data/kette/<level>/<year>.json and …/<year>/<part>.json */
  files: Map<string, unknown>;
  index: {foerderung: Record<string, number[]>; verteilung: string[]; kette: Record<string, Record<string, number>>};
}

/** Areas per file of the prevention-chain matrices (data/kette/<level>/<year>/<part>.json). */
export const CHAIN_PART = 50;

interface ChainCellLike {
  life_phase: string;
  handlungsfeld: string;
  relevant: boolean;
  measures: readonly {cross_cutting: boolean}[];
  count: number;
  amount_eur: number | null;
}

/** Fields of a gap in data/kette/<level>/<year>.json (2.000 areas: about 2.400 gaps). */
const CHAIN_GAP_FIELDS = ["kind", "scope", "area_id", "life_phase", "handlungsfeld", "sentence"] as const;

/** A matrix cell as the page draws it: the measures counted without the cross-cutting ones (which close no gap). */
function chainCell(cell: ChainCellLike): Row {
  return {life_phase: cell.life_phase, handlungsfeld: cell.handlungsfeld, relevant: cell.relevant, measures: cell.measures.filter((m) => !m.cross_cutting).length, amount_eur: cell.amount_eur};
}

/**
 * The prevention chain of one level and year for its page: data/kette/<level>/<year>.json holds
 * the city's matrix, the list of areas (with name and need class), the gaps (with the area's id
 * only) and the cross-cutting measures; the matrices of
 * the areas follow in parts of CHAIN_PART areas (…/<year>/<part>.json, in the order of the list),
 * so that a level with thousands of areas does not load every matrix at once.
 */
export function chainFiles(chain: Row, dir: string): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const areas = chain.areas as {area_id: string; name: string; need_class: number | null; cells: ChainCellLike[]}[];
  const city = chain.city as {name: string; cells: ChainCellLike[]};
  files.set(`${dir}.json`, {
    year: chain.year,
    city: {name: city.name, cells: city.cells.map(chainCell)},
    areas: areas.map((a) => ({area_id: a.area_id, name: a.name, need_class: a.need_class})),
    // the area's name and need class are in `areas`; how many measures elsewhere is in the sentence
    gaps: (chain.gaps as Row[]).map((g) => Object.fromEntries(CHAIN_GAP_FIELDS.map((f) => [f, g[f] ?? null]))),
    cross_cutting: chain.cross_cutting,
    relevance: chain.relevance,
    warnings: chain.warnings
  });
  for (let part = 0; part * CHAIN_PART < areas.length; part++) {
    files.set(`${dir}/${part}.json`, {
      year: chain.year,
      areas: areas.slice(part * CHAIN_PART, (part + 1) * CHAIN_PART).map((a) => ({area_id: a.area_id, name: a.name, need_class: a.need_class, cells: a.cells.map(chainCell)}))
    });
  }
  return files;
}

/** Fields of a concentration point the funding page shows (curve and its table). */
const CONCENTRATION_POINT_FIELDS = ["x", "y", "amount", "population"] as const;

/**
 * data/foerderung/<level>/<year>.json: what the funding page shows of one level and year – the
 * concentration curves (points without their area lists: 2.000 areas made them half the file),
 * money and need per area, and the reach per measure and against need (without the reach per
 * area, which the page does not show).
 */
export function fundingPageFile(data: FundingExport["levels"][string], year: number): Row {
  const reach = data.reach.find((r) => Number(r.year) === year);
  return {
    concentration: data.concentration.filter((g) => Number(g.year) === year).map((g) => ({
      ...g,
      points: (g.points as Row[]).map((p) => Object.fromEntries(CONCENTRATION_POINT_FIELDS.map((f) => [f, p[f] ?? null])))
    })),
    perArea: data.perArea.filter((r) => Number(r.year) === year),
    reach: reach ? Object.fromEntries(Object.entries(reach).filter(([key]) => key !== "byArea")) : null
  };
}

/** Cuts the funding export (exportFunding) into the files of the funding, allocation and prevention-chain pages. */
export function fundingSlices(funding: FundingExport): FundingSlices {
  const files = new Map<string, unknown>();
  const index: FundingSlices["index"] = {foerderung: {}, verteilung: [], kette: {}};
  for (const [level, data] of Object.entries(funding.levels)) {
    const dir = fileSegment(level);
    for (const year of funding.years) {
      files.set(`data/foerderung/${dir}/${year}.json`, fundingPageFile(data, year));
      (index.foerderung[level] ??= []).push(year);
      const chain = data.chain.find((c) => Number(c.year) === year);
      if (chain) {
        const parts = chainFiles(chain, `data/kette/${dir}/${year}`);
        for (const [path, value] of parts) files.set(path, value);
        (index.kette[level] ??= {})[String(year)] = parts.size - 1;
      }
    }
    files.set(`data/verteilung/${dir}.json`, {allocation: data.allocation});
    index.verteilung.push(level);
  }
  return {common: {years: funding.years, grantedYears: funding.grantedYears, measures: funding.measures, totals: funding.totals}, files, index};
}

interface ReportLike {
  year: number;
  level: {id: string};
  sections: readonly {id: string; data_year: number | null}[];
}

/**
 * data/bericht/<year>.json: the rows behind the report page's charts – need classes of the
 * report level, Kita coverage U3 and the concentration curve of the granted money – in the
 * years the report's sections use.
 */
export function reportPageFile(report: ReportLike, values: readonly Row[], need: readonly Row[], funding: Pick<FundingExport, "levels">): Row {
  const level = report.level.id;
  const dataYear = (id: string): number | null => report.sections.find((s) => s.id === id)?.data_year ?? null;
  const needYear = dataYear("need") ?? report.year;
  const kitaYear = dataYear("kita");
  const fundingYear = dataYear("funding");
  return {
    need: need.filter((r) => Number(r.year) === needYear && r.level === level),
    kita: kitaYear === null ? [] : values.filter((r) => r.indicator_id === "kita_coverage_u3" && Number(r.year) === kitaYear && r.level === level)
      .map((r) => Object.fromEntries(["name", ...PROFILE_VALUE_FIELDS].map((f) => [f, r[f] ?? null]))),
    concentration: fundingYear === null ? null : (funding.levels[level]?.concentration.find((g) => Number(g.year) === fundingYear && g.programme === null) ?? null)
  };
}
