/**
 * The small, already-protected files the pages read. Each function returns
 * exactly what one data loader writes; nothing here reads suppressed values:
 * indicator values come only from indicator_published, where suppressed cells
 * carry no numbers.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows, type Row} from "../db.ts";
import type {CityConfig} from "../contract/city-config.ts";

export interface CityMeta {
  id: string;
  name: string;
  ags: string;
  input_hash: string;
  years: {first: number; last: number};
  latest_year: number;
  levels: {level: string; level_rank: number; name: string}[];
  kita_targets: {u3: number; ue3: number};
  small_numbers: {min_cases: number; min_denominator: number};
  need_index: CityConfig["need_index"];
  indicators: Row[];
  has_geometry: boolean;
  synthetic_sources: boolean;
}

export async function exportCity(conn: DuckDBConnection): Promise<CityMeta> {
  const [city] = await queryRows<{city_id: string; name: string; ags: string; config_json: string; input_hash: string; first_year: number; last_year: number}>(conn, "SELECT * FROM city");
  if (!city) throw new Error("Datenbank enthält keine Stadt");
  const config = JSON.parse(city.config_json) as CityConfig;
  const levels = await queryRows<{level: string; level_rank: number; name: string}>(conn, "SELECT * FROM area_levels ORDER BY level_rank");
  const indicators = await queryRows(conn, `
    SELECT c.*, (SELECT max(year) FROM indicator_published p WHERE p.indicator_id = c.indicator_id AND p.rate IS NOT NULL) AS latest_year,
           (SELECT min(year) FROM indicator_published p WHERE p.indicator_id = c.indicator_id) AS first_year,
           coalesce((SELECT bool_or(synthetic) FROM indicator_provenance v WHERE v.indicator_id = c.indicator_id), false) AS synthetic
    FROM indicator_catalogue c ORDER BY c.topic, c.indicator_id`);
  const [geo] = await queryRows<{n: number}>(conn, "SELECT count(*) AS n FROM areas WHERE geometry_json IS NOT NULL");
  const [synthetic] = await queryRows<{any: boolean | null}>(conn, "SELECT bool_or(synthetic) AS any FROM indicator_provenance");
  const latest = Math.max(...indicators.map((i) => Number(i.latest_year ?? 0)));
  return {
    id: city.city_id,
    name: city.name,
    ags: city.ags,
    input_hash: city.input_hash,
    years: {first: city.first_year, last: city.last_year},
    latest_year: Number.isFinite(latest) && latest > 0 ? latest : city.last_year,
    levels,
    kita_targets: config.kita_targets,
    small_numbers: config.small_numbers,
    need_index: config.need_index,
    indicators,
    has_geometry: (geo?.n ?? 0) > 0,
    synthetic_sources: synthetic?.any === true
  };
}

/** Coordinates rounded to 5 decimals (about 1 m), which keeps the map files small. */
function roundGeometry(geometry: unknown): unknown {
  const round = (value: unknown): unknown => (Array.isArray(value) ? value.map(round) : typeof value === "number" ? Math.round(value * 1e5) / 1e5 : value);
  if (!geometry || typeof geometry !== "object") return null;
  const g = geometry as {type: string; coordinates: unknown};
  return {type: g.type, coordinates: round(g.coordinates)};
}

export async function exportAreas(conn: DuckDBConnection): Promise<{areas: Row[]; outline: unknown}> {
  const areas = await queryRows(conn, "SELECT area_id, name, level, level_rank, parent_id, geometry_json, tile_row, tile_col FROM areas ORDER BY level_rank, area_id");
  const [outline] = await queryRows<{geojson: string}>(conn, "SELECT geojson FROM outline");
  return {
    areas: areas.map(({geometry_json, ...area}) => ({...area, geometry: geometry_json ? roundGeometry(JSON.parse(String(geometry_json))) : null})),
    outline: outline ? JSON.parse(outline.geojson) : null
  };
}

/** Published indicator values (suppressed cells without numbers) with area names and the synthetic flag. */
export async function exportIndicatorValues(conn: DuckDBConnection): Promise<Row[]> {
  return queryRows(conn, `
    SELECT p.year, p.area_id, a.name, p.level, p.indicator_id, p.numerator, p.denominator, p.rate, p.ci_lo, p.ci_hi,
           p.city_rate, p.diff_city, p.signif, p.signif998, p.pooled_rate, p.pooled_ci_lo, p.pooled_ci_hi, p.change_1y, p.change_ky,
           -- one flag for every withheld cell: whether it is small itself or protects another cell is not published
           CASE WHEN p.suppressed IS NOT NULL THEN 'geheim' END AS suppressed,
           CASE WHEN p.pooled_suppressed IS NOT NULL THEN 'geheim' END AS pooled_suppressed,
           coalesce(v.synthetic, false) AS synthetic
    FROM indicator_published p
    JOIN areas a USING (area_id)
    LEFT JOIN indicator_provenance v ON v.indicator_id = p.indicator_id AND v.year = p.year
    ORDER BY p.indicator_id, p.year, a.level_rank, p.area_id`);
}

export async function exportNeedIndex(conn: DuckDBConnection): Promise<{rows: Row[]; log: Row[]}> {
  const rows = await queryRows(conn, `
    SELECT n.year, n.level, n.area_id, a.name, n.status_z, n.status_class, n.dynamics_z, n.dynamics_class, n.dynamics_se, n.basis, n.class_method
    FROM need_index n JOIN areas a USING (area_id) ORDER BY n.year, n.level, n.area_id`);
  const log = await queryRows(conn, "SELECT * FROM need_index_log ORDER BY year, level");
  return {rows, log};
}

export async function exportKitas(conn: DuckDBConnection): Promise<Row[]> {
  return queryRows(conn, `
    SELECT k.year, k.kita_id, k.name, k.provider_type, k.area_id, a.name AS area_name, k.area_assignment,
           round(k.lon, 5) AS lon, round(k.lat, 5) AS lat, k.places_u3, k.places_ue3, k.familienzentrum, k.pluskita,
           lower(coalesce(k.source, '')) LIKE '%synthetisch%' AS synthetic
    FROM kitas k LEFT JOIN areas a USING (area_id)
    ORDER BY k.year, k.area_id, k.name`);
}

/** Files with one row per person (a child): their rejected rows are published as counts only, never with values. */
const MICRODATA_FILES = ["seu.csv"];

/**
 * The quarantine as it may be published (file, line, column_name, code, message): rows of
 * person-level files are aggregated to one count per column and reason, without line or values.
 */
export function publicQuarantineSql(): string {
  const micro = MICRODATA_FILES.map((f) => `'${f}'`).join(", ");
  return `
      SELECT file, line, column_name, code, message FROM quarantine WHERE file NOT IN (${micro})
      UNION ALL
      SELECT file, NULL AS line, column_name, code,
             count(*) || ' Zeile(n) abgelehnt (Grund: ' || code || '); Einzelheiten nur im internen Prüfbericht, weil die Zeilen Einzelpersonen beschreiben' AS message
      FROM quarantine WHERE file IN (${micro}) GROUP BY file, column_name, code`;
}

export async function exportQuality(conn: DuckDBConnection): Promise<{files: Row[]; warnings: Row[]; quarantine: Row[]; markers: Row[]; provenance: Row[]}> {
  return {
    files: await queryRows(conn, "SELECT * FROM load_report"),
    warnings: await queryRows(conn, "SELECT * FROM load_warnings ORDER BY file, line"),
    quarantine: await queryRows(conn, `${publicQuarantineSql()} ORDER BY file, line NULLS LAST, column_name`),
    markers: await queryRows(conn, "SELECT file, column_name, marker, count(*) AS n FROM cell_markers GROUP BY ALL ORDER BY ALL"),
    provenance: await queryRows(conn, "SELECT * FROM indicator_provenance ORDER BY indicator_id, year")
  };
}
