import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import type { SnapshotDoc } from "../model-schema.ts";

/**
 * The SCD2 algebra over as-of days, as SQL. A version is valid from its as-of day (inclusive) to `valid_to`
 * (exclusive; null while current). Everything is a pure function of the history and the day, so re-applying a day
 * gives the same rows (idempotent) and reading history as of a past day gives what was known then (replays).
 */
const day = (d: string) => `date ${quoteLiteral(d)}`;

/** History as it stood before day `d` was applied: later versions dropped, intervals closed on or after `d` reopened. */
export function rewindSql(history: string, d: string): string {
  return `(select * replace (case when valid_to < ${day(d)} then valid_to end as valid_to, valid_to is null or valid_to >= ${day(d)} as is_current)
    from ${history} where valid_from < ${day(d)})`;
}

/** History as known on day `d` (inclusive): what models read for an as-of day. */
export function asOfSql(history: string, d: string): string {
  return `(select * replace (case when valid_to <= ${day(d)} then valid_to end as valid_to, valid_to is null or valid_to > ${day(d)} as is_current)
    from ${history} where valid_from <= ${day(d)})`;
}

/** An empty history with the source's columns and the SCD2 columns. */
export function emptyHistorySql(source: string): string {
  return `(select *, null::date as valid_from, null::date as valid_to, true as is_current, false as is_deleted from ${source} where false)`;
}

/**
 * Apply one day's source rows to `base` (history before that day): a new or changed record (check columns differ,
 * or updated_at moved forward), or one that comes back after a delete, closes its current version and opens a new
 * one; a record missing from the source closes its version and opens a deleted one (last known values, is_deleted).
 */
export function applyDaySql(base: string, source: string, doc: SnapshotDoc, d: string): string {
  const k = quoteIdent(doc.unique_key);
  const changedWhen =
    doc.strategy === "timestamp"
      ? `src.${quoteIdent(doc.updated_at!)} > cur.${quoteIdent(doc.updated_at!)} or (cur.${quoteIdent(doc.updated_at!)} is null and src.${quoteIdent(doc.updated_at!)} is not null)`
      : doc.check_cols!.map((c) => `src.${quoteIdent(c)} is distinct from cur.${quoteIdent(c)}`).join(" or ");
  return `(
    with base as (select * from ${base}),
    cur as (select * from base where valid_to is null),
    src as (select * from ${source} where ${k} is not null),
    changed as (
        select src.* from src left join cur on src.${k} = cur.${k}
        where cur.${k} is null or cur.is_deleted or ${changedWhen}
    ),
    gone as (select cur.* from cur anti join src on cur.${k} = src.${k} where not cur.is_deleted),
    closing as (select ${k} from changed union all select ${k} from gone),
    merged as (
        select base.* replace (
            case when base.valid_to is null and base.${k} in (select ${k} from closing) then ${day(d)} else base.valid_to end as valid_to)
        from base
        union all by name
        select changed.*, ${day(d)} as valid_from, null::date as valid_to, false as is_deleted from changed
        union all by name
        select gone.* replace (${day(d)} as valid_from, null::date as valid_to, true as is_deleted) from gone
    )
    select * replace (valid_to is null as is_current) from merged
)`;
}
