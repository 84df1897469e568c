import { quoteIdent } from "../../../cli/core/duckdb.ts";
import type { DataTest } from "../data-tests.ts";
import type { SnapshotDoc } from "../model-schema.ts";

/**
 * The tests every snapshot gets: exactly one current row per key, no overlapping (or empty) intervals, and
 * `is_current` agreeing with `valid_to`.
 */
export function scdTests(name: string, doc: SnapshotDoc): DataTest[] {
  const t = quoteIdent(name);
  const k = quoteIdent(doc.unique_key);
  const base = { model: name, severity: "error" as const, kind: "expression" as const };
  return [
    {
      ...base,
      id: `${name}.${doc.unique_key}.one_current_row`,
      column: doc.unique_key,
      description: `exactly one current row per ${doc.unique_key}`,
      sql: `select ${k}, count(*) filter (where is_current) as current_rows from ${t} group by ${k} having count(*) filter (where is_current) <> 1 order by ${k}`,
    },
    {
      ...base,
      id: `${name}.no_overlapping_intervals`,
      description: "no overlapping or empty validity intervals per key",
      sql: `select ${k}, valid_from, valid_to, next_valid_from from (
          select ${k}, valid_from, valid_to,
              lead(valid_from) over (partition by ${k} order by valid_from) as next_valid_from
          from ${t}
      ) where valid_to <= valid_from
          or (next_valid_from is not null and (valid_to is null or valid_to > next_valid_from))
      order by ${k}, valid_from`,
    },
    {
      ...base,
      id: `${name}.is_current_matches_valid_to`,
      column: "is_current",
      description: "is_current is true exactly when valid_to is null",
      sql: `select * from ${t} where is_current is distinct from (valid_to is null)`,
    },
  ];
}
