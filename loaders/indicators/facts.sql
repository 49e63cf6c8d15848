-- Fact views at the lowest area level. Every indicator of the catalogue aggregates
-- one of these views; higher levels are computed by summing numerators and
-- denominators over area_closure (each fact belongs to exactly one area).

CREATE OR REPLACE TABLE leaf_areas AS
SELECT * FROM areas WHERE level_rank = (SELECT max(level_rank) FROM areas);

-- every area with itself and all its ancestors
CREATE OR REPLACE TABLE area_closure AS
WITH RECURSIVE c(area_id, ancestor_id) AS (
  SELECT area_id, area_id FROM areas
  UNION ALL
  SELECT c.area_id, a.parent_id FROM c JOIN areas a ON a.area_id = c.ancestor_id WHERE a.parent_id IS NOT NULL
)
SELECT * FROM c;

-- population of the lowest level, one row per year and area, children by age band.
-- A count given as a statistical marker (NULL) makes its band unknown (NULL) instead of
-- silently too small; indicators resting on it are then missing, not wrong.
CREATE OR REPLACE MACRO band_sum(cnt, band, bands) AS
  CASE WHEN bool_or(cnt IS NULL AND list_contains(bands, band)) THEN NULL
       ELSE coalesce(sum(cnt) FILTER (WHERE list_contains(bands, band)), 0) END;
CREATE OR REPLACE TABLE pop_wide AS
SELECT p.year, p.area_id,
       band_sum(p.count, p.age_band, ['0-3']) AS children_0_3,
       band_sum(p.count, p.age_band, ['3-6']) AS children_3_6,
       band_sum(p.count, p.age_band, ['6-10']) AS children_6_10,
       band_sum(p.count, p.age_band, ['10-15']) AS children_10_15,
       band_sum(p.count, p.age_band, ['15-18']) AS children_15_18,
       band_sum(p.count, p.age_band, ['0-3', '3-6', '6-10', '10-15', '15-18']) AS children_0_18,
       CASE WHEN bool_or(p.count IS NULL) THEN NULL ELSE coalesce(sum(p.count), 0) END AS population
FROM population p JOIN leaf_areas l USING (area_id)
GROUP BY p.year, p.area_id;

-- for every year used anywhere: the population year to use (the same year, else the latest earlier one, else the first)
CREATE OR REPLACE TABLE population_year AS
WITH years AS (
  SELECT year FROM seu UNION SELECT year FROM kitas UNION SELECT year FROM measures
  UNION SELECT year FROM indicator_input UNION SELECT year FROM pop_wide
)
SELECT y.year,
       coalesce((SELECT max(p.year) FROM pop_wide p WHERE p.year <= y.year), (SELECT min(p.year) FROM pop_wide p)) AS pop_year
FROM years y;

-- the population of each measure target group, per year and lowest-level area
CREATE OR REPLACE TABLE target_population AS
SELECT py.year, p.area_id, t.target_group, CAST(CAST(t.population AS DECIMAL(38, 9)) AS DOUBLE) AS population
FROM population_year py
JOIN pop_wide p ON p.year = py.pop_year,
LATERAL (VALUES
  ('births', p.children_0_3 / 3.0),
  ('children_0_3', p.children_0_3),
  ('children_3_6', p.children_3_6),
  ('children_6_10', p.children_6_10),
  ('children_10_15', p.children_10_15),
  ('children_15_18', p.children_15_18),
  ('children_0_18', p.children_0_18),
  ('families', p.children_0_18)
) AS t(target_group, population);

CREATE OR REPLACE VIEW seu_facts AS SELECT * FROM seu;

CREATE OR REPLACE VIEW input_facts AS
SELECT i.* FROM indicator_input i JOIN leaf_areas l USING (area_id);

CREATE OR REPLACE VIEW kita_facts AS
WITH k AS (
  SELECT year, area_id, sum(places_u3) AS places_u3, sum(places_ue3) AS places_ue3,
         sum(occupied_u3) AS occupied_u3, sum(occupied_ue3) AS occupied_ue3, count(*) AS kitas
  FROM kitas GROUP BY year, area_id
)
SELECT ky.year, l.area_id,
       coalesce(k.places_u3, 0) AS places_u3, coalesce(k.places_ue3, 0) AS places_ue3,
       coalesce(k.occupied_u3, 0) AS occupied_u3, coalesce(k.occupied_ue3, 0) AS occupied_ue3,
       coalesce(k.kitas, 0) AS kitas,
       p.children_0_3, p.children_3_6
FROM (SELECT DISTINCT year FROM kitas) ky
CROSS JOIN leaf_areas l
JOIN population_year py ON py.year = ky.year
LEFT JOIN pop_wide p ON p.year = py.pop_year AND p.area_id = l.area_id
LEFT JOIN k ON k.year = ky.year AND k.area_id = l.area_id;

-- Sums of fractional numbers run in DECIMAL: exact, so the order of a parallel sum cannot
-- change a result (loading is deterministic).
-- each measure's lowest-level areas and the share of its money and reach that falls on each:
-- city-wide measures over all areas, listed areas over their lowest-level parts, by the share of the target group
CREATE OR REPLACE TABLE measure_allocation AS
WITH m AS (
  SELECT measure_id, year, amount_eur, status, coalesce(target_group, 'children_0_18') AS target_group, reach, reach_unit, city_wide, areas
  FROM measures
),
served AS (
  SELECT m.measure_id, l.area_id FROM m JOIN leaf_areas l ON m.city_wide
  UNION
  SELECT m.measure_id, c.area_id
  FROM (SELECT measure_id, unnest(areas) AS listed FROM m WHERE NOT city_wide) u
  JOIN m USING (measure_id)
  JOIN area_closure c ON c.ancestor_id = u.listed
  JOIN leaf_areas l ON l.area_id = c.area_id
),
weighted AS (
  SELECT s.measure_id, s.area_id, m.year, m.amount_eur, m.status, m.target_group, m.reach, m.reach_unit, m.city_wide,
         coalesce(tp.population, 0) AS target_population,
         count(*) OVER (PARTITION BY s.measure_id) AS n_areas,
         CAST(sum(CAST(coalesce(tp.population, 0) AS DECIMAL(38, 9))) OVER (PARTITION BY s.measure_id) AS DOUBLE) AS total_target
  FROM served s JOIN m USING (measure_id)
  LEFT JOIN target_population tp ON tp.year = m.year AND tp.area_id = s.area_id AND tp.target_group = m.target_group
)
SELECT measure_id, area_id, year, status, target_group, city_wide, reach_unit, target_population,
       CASE WHEN total_target > 0 THEN target_population / total_target ELSE 1.0 / n_areas END AS share,
       amount_eur * (CASE WHEN total_target > 0 THEN target_population / total_target ELSE 1.0 / n_areas END) AS amount_eur,
       reach * (CASE WHEN total_target > 0 THEN target_population / total_target ELSE 1.0 / n_areas END) AS reach
FROM weighted;

-- granted money per year and lowest-level area, with the children it serves
CREATE OR REPLACE VIEW funding_facts AS
SELECT my.year, l.area_id,
       coalesce((SELECT CAST(sum(CAST(a.amount_eur AS DECIMAL(38, 9))) AS DOUBLE) FROM measure_allocation a WHERE a.year = my.year AND a.area_id = l.area_id AND a.status = 'bewilligt'), 0) AS amount_eur,
       p.children_0_18
FROM (SELECT DISTINCT year FROM measures WHERE status = 'bewilligt') my
CROSS JOIN leaf_areas l
JOIN population_year py ON py.year = my.year
LEFT JOIN pop_wide p ON p.year = py.pop_year AND p.area_id = l.area_id;

-- reach of granted measures per year, lowest-level area and target group, with the target population
CREATE OR REPLACE VIEW reach_facts AS
SELECT a.year, a.area_id, a.target_group, CAST(sum(CAST(a.reach AS DECIMAL(38, 9))) AS DOUBLE) AS reach, any_value(a.target_population) AS target_population
FROM measure_allocation a
WHERE a.reach IS NOT NULL AND a.status = 'bewilligt'
GROUP BY a.year, a.area_id, a.target_group;
