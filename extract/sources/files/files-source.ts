import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { configOrigin } from "../../../cli/core/config.ts";
import { piiSalt } from "../../../cli/core/pii-salt.ts";
import { duckdbOptionsFor, queryRows, queryValue, quoteLiteral, withDuckdb } from "../../../cli/core/duckdb.ts";
import { DuckmartError } from "../../../cli/core/errors.ts";
import { commerceEntities } from "../../schemas/commerce-entities.ts";
import { landRelation } from "../../landing/land-relation.ts";
import { writeLandingManifest } from "../../landing/manifest.ts";
import { landingTarget } from "../../../cli/core/contracts/landing.ts";
import type { EntityLanding, ExtractContext, Source, SourceSummary } from "../../source.ts";
import { describeBadLine, findBadLines } from "./bad-lines.ts";
import { displayPath } from "./display-path.ts";
import { describeDuplicate, type DuplicateColumn } from "./duplicate-columns.ts";
import { prepareEntities } from "./derive-entities.ts";
import { entityRelations, orderTotalsSql } from "./entity-relations.ts";
import { openInput } from "./file-input.ts";
import { mapLines, type LineMapping } from "./line-mapping.ts";
import { linesTable, linesViewSql } from "./lines-sql.ts";
import { countConflicts, idSaltVariable } from "./resolve-orders.ts";
import { landQuarantine } from "./quarantine.ts";

/**
 * A shop's own order export (CSV, Parquet, JSON/NDJSON; one file or a glob), mapped by `files.orderLines`
 * in duckmart.config.ts. One row per order line; products, customers, orders and order items are derived
 * from the lines and land with the same contract as the other commerce sources.
 */
export const filesSource: Source = {
  name: "files",
  entities: commerceEntities.filter((e) => e.name !== "carts"),
  async extract(context: ExtractContext): Promise<SourceSummary> {
    const started = Date.now();
    const { config, paths, logger } = context;
    const settings = config.files.orderLines;
    if (!settings)
      throw new DuckmartError("The files source has no mapping: files.orderLines is not set", {
        hint: 'Add files: { orderLines: { path: "orders.csv", columns: { ... } } } to duckmart.config.ts (see "Files source" in the README), or set DUCKMART_FILES_PATH with DUCKMART_FILES_PRESET=shopify (or woocommerce).',
        exitCode: 2,
      });
    const extractedAt = new Date().toISOString();
    await mkdir(paths.rawDir("files"), { recursive: true });
    const duckdb = duckdbOptionsFor(config);
    const scratchPath = join(duckdb.tempDirectory!, `files-lines-${process.pid}-${randomUUID()}.parquet`);
    await mkdir(duckdb.tempDirectory!, { recursive: true });
    try {
      return await withDuckdb(duckdb, async (connection) => {
        const input = await openInput(connection, settings);
        const mapping = mapLines(input, settings);
        warnDuplicates(logger, input.duplicates, mapping);
        logger.start(`files: reading ${input.files.length} ${input.format} file(s) from ${settings.path}`);
        const { lineCount, badCount } = await inFileOrder(connection, () =>
          writeLines(connection, { mapping, logger, scratchPath }),
        );
        const linesDone = Date.now();
        logger.debug(`files: lines typed and checked in ${linesDone - started} ms`);
        if (badCount > 0 && settings.onBadRows === "refuse") {
          const bad = await findBadLines(connection, { format: input.format, mapping, limit: 5 });
          throw new DuckmartError(
            `files: ${badCount} bad line(s) in ${settings.path}; nothing was landed. ${bad.map(describeBadLine).join("; ")}`,
            {
              hint: 'The previous snapshot stays current. Fix the file (or the mapping), or set files.orderLines.onBadRows: "quarantine" to land the other lines and count the bad ones.',
              exitCode: 1,
            },
          );
        }
        const explicit = configOrigin(config, "asOf") !== "default";
        const salt = await piiSalt(config.warehouse.piiSalt, paths);
        await connection.run(`set variable ${idSaltVariable} = ${quoteLiteral(salt)}`);
        const { idSchemes, totalsOnOrders, asOf, ordersAfterAsOf } = await prepareEntities(connection, {
          mapping,
          chooseAsOf: (newest) => (explicit || !newest ? config.asOf : newest.toISOString().slice(0, 10)),
        });
        const orderCount = await queryValue<number>(connection, "select count(*) from file_orders");
        if (orderCount === 0)
          throw new DuckmartError(
            ordersAfterAsOf
              ? `files: every order of ${settings.path} is dated after the as-of ${asOf}; nothing was landed`
              : `files: no order lines in ${settings.path} (${lineCount} line(s) read${badCount ? `, ${badCount} bad` : ""}, none with a quantity); nothing was landed`,
            {
              hint: "The previous snapshot stays current. Point files.orderLines.path at an export with orders (a file with only its header exports none).",
              exitCode: 1,
            },
          );
        const entitiesDone = Date.now();
        logger.debug(`files: orders, customers and products resolved in ${entitiesDone - linesDone} ms`);
        const undated = await queryRows(
          connection,
          `select order_number from file_orders where ordered_at is null limit 3`,
        );
        if (undated.length)
          throw new DuckmartError(
            `files: order ${undated.map((r) => JSON.stringify(r["order_number"])).join(", ")} has no ordered_at on any line; nothing was landed`,
            { hint: `Each order needs a date in ${mapping.fields.get("ordered_at")?.label ?? "ordered_at"}.` },
          );
        const landed: EntityLanding[] = [];
        const details: Record<string, unknown> = {
          files: input.files.map((f) => displayPath(f, settings.path)),
          format: input.format,
          preset: settings.preset ?? null,
          lines: lineCount,
          quarantined: settings.onBadRows === "quarantine" ? badCount : 0,
          droppedPersonalColumns: mapping.droppedPersonal,
          idSchemes,
          asOfFrom: explicit ? "config" : "newest order date",
          ordersAfterAsOf,
        };
        if (settings.onBadRows === "quarantine")
          landed.push(await landQuarantine(connection, { context, input, mapping, asOf, extractedAt }));
        for (const entity of entityRelations(mapping, { totalsOnOrders })) {
          const target = landingTarget(paths, "files", entity.entity, extractedAt);
          await landRelation(connection, {
            relation: entity.relation,
            columns: entity.columns,
            // Millions of order items and orders need no sort (readers look rows up by key); products sort by id.
            ...(entity.entity === "products" ? { orderBy: entity.idField } : {}),
            target,
          });
          if (entity.entity === "order_items") {
            if (!totalsOnOrders) await connection.run(orderTotalsSql(target));
            details["conflicts"] = await countConflicts(connection, {
              totalsOnOrders,
              cutAfter: ordersAfterAsOf ? asOf : null,
            });
          }
          const rowCount = await queryValue<number>(connection, `select count(*) from read_parquet($1)`, [target]);
          const drift = entity.entity === "order_items" ? mapping.drift.map((c) => c.as) : [];
          landed.push(
            await writeLandingManifest(
              paths,
              { source: "files", entity: entity.entity, rowCount, extractedAt, asOf, driftFields: drift, details },
              entity.columns,
            ),
          );
          logger.info(`files/${entity.entity}: landed ${rowCount} rows`);
        }
        reportConflicts(context, details["conflicts"] as Record<string, number>, badCount, settings.onBadRows);
        logger.info(`files: as-of ${asOf} (${explicit ? "as configured" : "the newest order date"})`);
        if (ordersAfterAsOf)
          logger.warn(
            `files: ${ordersAfterAsOf} order(s) of the export are dated after the as-of ${asOf} and were left out (leave out --as-of to use the newest order date)`,
          );
        const done = Date.now();
        return {
          source: "files",
          landed,
          failed: [],
          durationMs: done - started,
          phasesMs: { lines: linesDone - started, entities: entitiesDone - linesDone, landing: done - entitiesDone },
        };
      });
    } finally {
      await rm(scratchPath, { force: true });
    }
  },
};

/**
 * Write the typed lines: a CSV is read once with its number columns typed by the reader; should a value not
 * convert, it is read again with every column as text, so the bad lines can be named (file, line, column, value).
 */
async function writeLines(
  connection: DuckDBConnection,
  options: { mapping: LineMapping; logger: ExtractContext["logger"]; scratchPath: string },
): Promise<{ lineCount: number; badCount: number }> {
  const copy = async (sql: string) => {
    await connection.run(`copy (${sql}) to ${quoteLiteral(options.scratchPath)} (format parquet, compression lz4)`);
    await connection.run(linesViewSql(options.scratchPath));
    const counts = (await queryRows(connection, `select count(*) as n, count(__bad) as bad from ${linesTable}`))[0]!;
    return { lineCount: Number(counts["n"]), badCount: Number(counts["bad"]) };
  };
  if (options.mapping.typedCsvSql)
    try {
      const counts = await copy(options.mapping.typedCsvSql);
      if (!counts.badCount) return counts;
      options.logger.debug("files: the typed read found bad lines; reading every column as text to quote them");
    } catch (cause) {
      const reason = (cause as Error).message.split("\n")[0];
      options.logger.debug(
        `files: the typed read stopped (${reason}); reading every column as text to find the bad lines`,
      );
    }
  return copy(options.mapping.sql);
}

/** Run a statement with insertion order kept, so the lines Parquet is in file order (its row = the line). */
async function inFileOrder<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run("set preserve_insertion_order = true");
  try {
    return await work();
  } finally {
    await connection.run("set preserve_insertion_order = false");
  }
}

/** Unmapped columns of one header name land as drift under the reader's names: say which header columns they are. */
function warnDuplicates(logger: ExtractContext["logger"], duplicates: DuplicateColumn[], mapping: LineMapping): void {
  for (const duplicate of duplicates) {
    const landed = duplicate.readAs.map((name) => mapping.drift.find((c) => c.name === name)?.as ?? null);
    const as = landed.map(
      (name, i) => `column ${duplicate.positions[i]} as ${name ? `"${name}"` : "nothing (personal)"}`,
    );
    logger.warn(`files: ${describeDuplicate(duplicate)}; unmapped, they land as drift: ${as.join(", ")}`);
  }
}

function reportConflicts(
  context: ExtractContext,
  conflicts: Record<string, number>,
  badCount: number,
  mode: string,
): void {
  const found = Object.entries(conflicts).filter(([, n]) => n > 0);
  if (found.length)
    context.logger.warn(
      `files: conflicts resolved (see the README, "Files source"): ${found.map(([k, n]) => `${k.replaceAll("_", " ")}: ${n}`).join(", ")}`,
    );
  if (badCount > 0 && mode === "quarantine")
    context.logger.warn(
      `files: ${badCount} bad line(s) quarantined: see the files/quarantined_lines snapshot in ${join(context.paths.rawDir("files"), "quarantined_lines")}/`,
    );
}
