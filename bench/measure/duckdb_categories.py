"""The measurement's categories in SQL (DuckDB), for comparison with Samsyn's classifier.

Same rules as rules/orebro-2025.toml: licensed professions XS919 (SSK), XS910/XS918 (rehab), not
delegated; default 15 minutes; group avancerad (dialysis) -> 4, lakemedel (DT021) -> 2a;
more than 2.0 h/week -> 2b; särskilt boende only -> excluded. Prints JSON: seconds and table.
"""
import json
import sys
import time

import duckdb

activities, enrollments = sys.argv[1], sys.argv[2]
SQL = """
WITH a AS (
  SELECT * FROM read_csv(?, delim=';', header=true, types={'kommunkod':'VARCHAR','personnummer':'VARCHAR',
    'datum':'DATE','kva_kod':'VARCHAR','yrkeskod':'VARCHAR','minuter':'INTEGER','delegerad':'VARCHAR'})
), licensed AS (
  SELECT kommunkod, personnummer,
    sum(CASE WHEN yrkeskod = 'XS919' THEN coalesce(minuter, 15) ELSE 0 END) AS ssk,
    sum(CASE WHEN yrkeskod IN ('XS910','XS918') THEN coalesce(minuter, 15) ELSE 0 END) AS rehab,
    bool_or(kva_kod IN ('DR014','DR015','DR016','DR060','DR061')) AS advanced,
    bool_or(kva_kod IN ('DT021')) AS continuous
  FROM a
  WHERE coalesce(delegerad, 'N') <> 'J' AND yrkeskod IN ('XS919','XS910','XS918')
    AND datum BETWEEN DATE '2025-10-01' AND DATE '2025-10-31'
  GROUP BY 1, 2
), e AS (
  SELECT kommunkod, personnummer,
    bool_or(boende = 'ordinärt') AS enrolled,
    bool_and(boende = 'särskilt') AS special,
    bool_or(palliativ = 'J') AS palliative
  FROM read_csv(?, delim=';', header=true, types={'kommunkod':'VARCHAR','personnummer':'VARCHAR',
    'inskriven_from':'DATE','inskriven_tom':'DATE','boende':'VARCHAR','palliativ':'VARCHAR'})
  WHERE inskriven_from <= DATE '2025-10-31' AND (inskriven_tom IS NULL OR inskriven_tom >= DATE '2025-10-01')
  GROUP BY 1, 2
), classified AS (
  SELECT l.kommunkod,
    CASE
      WHEN coalesce(e.palliative, false) THEN '5'
      WHEN l.advanced THEN '4'
      WHEN l.ssk = 0 AND l.rehab > 0 THEN '3'
      WHEN NOT coalesce(e.enrolled, false) THEN '1'
      WHEN (l.ssk + l.rehab) * 7 > 2.0 * 60 * 31 THEN '2b'
      WHEN l.continuous THEN '2a'
      ELSE '1'
    END AS category
  FROM licensed l LEFT JOIN e USING (kommunkod, personnummer)
  WHERE NOT coalesce(e.special, false)
)
SELECT kommunkod, category, count(*) FROM classified GROUP BY 1, 2 ORDER BY 1, 2
"""
started = time.perf_counter()
rows = duckdb.execute(SQL, [activities, enrollments]).fetchall()
seconds = time.perf_counter() - started
table = {}
for municipality, category, count in rows:
    table.setdefault(municipality, {})[category] = count
print(json.dumps({"seconds": seconds, "table": table}))
