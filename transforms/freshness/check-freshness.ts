import type { DuckDBConnection } from "@duckdb/node-api";
import {
  worstStatus,
  type FreshnessCheck,
  type FreshnessReport,
  type FreshnessStatus,
} from "../../cli/core/contracts/freshness.ts";
import { duckdbOptionsFor, queryRows, quoteIdent, withDuckdb } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import { readLandingManifest, readSnapshotSql } from "../../cli/core/contracts/landing.ts";
import type { TransformContext } from "../index.ts";
import { loadProject } from "../engine/project.ts";
import { chooseSources, rawTables, type RawTable } from "../engine/raw-sources.ts";
import type { FreshnessSpec } from "./freshness-spec.ts";

const hour = 3_600_000;
const day = 24 * hour;

export interface FreshnessOptions {
  /** The clock (tests age manifests by hand instead). */
  now?: Date;
  /** Deprecated `--max-age`: warn when any raw table's extraction is older than this many hours. */
  maxAgeHours?: number;
}

/**
 * Check every raw table with a `freshness:` block in sources.yml (and, with maxAgeHours, every landed table):
 * - extraction age = the clock minus the landing manifest's extractedAt: it grows when runs stop;
 * - newest event age = the reference minus the newest value of the named column, where the reference is the end
 *   of the as-of day the data was extracted for, or the extraction time if earlier. It says how stale the source
 *   was when it was read, so a backfill with a past --as-of is not stale because the clock moved on.
 */
export async function checkFreshness(
  context: TransformContext,
  options: FreshnessOptions = {},
): Promise<FreshnessReport> {
  const { config, paths } = context;
  const now = options.now ?? new Date();
  const project = await loadProject(context.transformsDir);
  const checks: FreshnessCheck[] = [];
  const pending: {
    table: RawTable;
    spec: NonNullable<FreshnessSpec["newest_event"]>;
    referenceAt: Date;
    asOf: string;
  }[] = [];
  // The sources a build would read now: the shop source chosen as transform chooses it, and the payments source.
  const sources = chooseSources(config, paths);
  const tables = rawTables(paths, sources.shop.source, context.paymentColumns, sources.payments);
  for (const table of tables) {
    const spec = project.sources.get(table.name)?.freshness;
    const warn = minDefined(spec?.warn_after, options.maxAgeHours);
    if (!spec && options.maxAgeHours === undefined) continue;
    const base = { table: table.name, source: table.source, entity: table.entity };
    const landing = table.exists ? await readLandingManifest(paths, table.source, table.entity) : undefined;
    if (!landing) {
      if (!spec && !table.exists) continue;
      checks.push({
        ...base,
        measure: "extracted",
        referenceAt: now.toISOString(),
        warnAfterHours: warn,
        errorAfterHours: spec?.error_after,
        ...missing(table, tables),
      });
      continue;
    }
    const extractedAt = new Date(landing.extractedAt);
    checks.push(
      rate(
        { ...base, measure: "extracted", observedAt: landing.extractedAt, referenceAt: now.toISOString() },
        (now.getTime() - extractedAt.getTime()) / hour,
        warn,
        spec?.error_after,
      ),
    );
    if (spec?.newest_event) {
      const asOf = landing.asOf || config.asOf;
      const asOfEnd = new Date(Date.parse(`${asOf}T00:00:00Z`) + day);
      pending.push({
        table,
        spec: spec.newest_event,
        referenceAt: asOfEnd < extractedAt ? asOfEnd : extractedAt,
        asOf,
      });
    }
  }
  if (pending.length) {
    await withDuckdb(duckdbOptionsFor(config), async (connection) => {
      for (const { table, spec, referenceAt, asOf } of pending) {
        const base = {
          table: table.name,
          source: table.source,
          entity: table.entity,
          measure: "newest_event" as const,
        };
        const newest = await newestEvent(connection, table, spec.column);
        const check = { ...base, column: spec.column, referenceAt: referenceAt.toISOString(), asOf };
        if (newest === undefined)
          checks.push({
            ...check,
            warnAfterHours: spec.warn_after,
            errorAfterHours: spec.error_after,
            // A source that landed no rows yet (a new Stripe account) has no newest event to age: its extraction
            // age still applies, and the row-count guards stop a mart that empties out.
            status: "warn",
            detail: "no rows yet: no newest event to measure",
          });
        else
          checks.push(
            rate(
              { ...check, observedAt: newest.toISOString() },
              Math.max(0, (referenceAt.getTime() - newest.getTime()) / hour),
              spec.warn_after,
              spec.error_after,
            ),
          );
      }
    });
  }
  const order = (c: FreshnessCheck) =>
    checks.findIndex((d) => d.table === c.table) * 2 + (c.measure === "extracted" ? 0 : 1);
  checks.sort((a, b) => order(a) - order(b));
  return { checkedAt: now.toISOString(), status: worstStatus(checks), checks };
}

/**
 * A table with no landing: skipped when it is optional (payments without Stripe) or when its source landed its
 * other tables but not this one (the files source has no carts); otherwise an error (never extracted).
 */
function missing(table: RawTable, tables: RawTable[]): Pick<FreshnessCheck, "status" | "detail"> {
  if (table.exists) return { status: "error", detail: "no landing manifest: re-extract it" };
  if (table.emptyColumns)
    return {
      status: "skipped",
      detail: table.source === "none" ? "no payments source configured" : "not extracted (optional source)",
    };
  if (tables.some((t) => t.source === table.source && t.exists && !t.emptyColumns))
    return { status: "skipped", detail: `not landed by the ${table.source} source` };
  return { status: "error", detail: `never extracted: run duckmart extract --source ${table.source}` };
}

function rate(
  check: Omit<FreshnessCheck, "status" | "ageHours">,
  ageHours: number,
  warnAfterHours: number | undefined,
  errorAfterHours: number | undefined,
): FreshnessCheck {
  const status: FreshnessStatus =
    errorAfterHours !== undefined && ageHours > errorAfterHours
      ? "error"
      : warnAfterHours !== undefined && ageHours > warnAfterHours
        ? "warn"
        : "fresh";
  return { ...check, ageHours, warnAfterHours, errorAfterHours, status };
}

function minDefined(...values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

/**
 * The newest value of a column as a moment: timestamps as UTC, integers as Unix seconds (Stripe's `created`),
 * dates as the end of that day (an event on a day happened by its end).
 */
async function newestEvent(connection: DuckDBConnection, table: RawTable, column: string): Promise<Date | undefined> {
  let row;
  try {
    [row] = await queryRows(
      connection,
      `select typeof(newest) as type, newest::varchar as value
       from (select max(${quoteIdent(column)}) as newest from ${readSnapshotSql(table.path)})`,
    );
  } catch (cause) {
    throw new DuckmartError(`Freshness of ${table.name}: cannot read the newest "${column}" from ${table.path}`, {
      cause,
      hint: `Check newest_event.column of ${table.name} in transforms/sources.yml: it must be a column of the raw table.`,
    });
  }
  const type = String(row?.["type"] ?? "");
  const value = row?.["value"];
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  if (/INT|DECIMAL|DOUBLE|FLOAT/.test(type)) return new Date(Number(text) * 1000);
  if (type === "DATE") return new Date(Date.parse(`${text}T00:00:00Z`) + day);
  if (type.startsWith("TIMESTAMP")) {
    const iso = text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
    return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
  }
  if (type === "VARCHAR" && !Number.isNaN(Date.parse(text))) return new Date(text);
  throw new DuckmartError(`Freshness of ${table.name}: column "${column}" is ${type}, not a date, timestamp or epoch`, {
    hint: `Name a date, timestamp or Unix-seconds column in newest_event.column of ${table.name} (transforms/sources.yml).`,
  });
}
