import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbOptionsFor, queryRows, withDuckdb } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import { landingTarget } from "../../cli/core/contracts/landing.ts";
import { landRelation } from "../landing/land-relation.ts";
import { writeLandingManifest } from "../landing/manifest.ts";
import { cartLinesFromParquet, deriveOrders } from "../orders-from-carts.ts";
import { sampleCommerceSql, sampleSizes } from "../sample/sample-commerce-sql.ts";
import { columnsFromSchema } from "../schemas/duckdb-types.ts";
import type { EntityDef, EntityLanding, ExtractContext, Source, SourceSummary } from "../source.ts";
import { commerceEntities } from "../schemas/commerce-entities.ts";
import { stripeEntities } from "../schemas/stripe-entities.ts";
import { sampleStripeSql } from "../sample/sample-stripe-sql.ts";

export const citiesSeedPath = fileURLToPath(new URL("../../transforms/seeds/us_cities.csv", import.meta.url));

/**
 * The offline default: a deterministic shop generated in DuckDB SQL from --seed and --scale, landing the
 * same entities with the same column types as the DummyJSON source.
 */
export const sampleSource: Source = {
  name: "sample",
  entities: commerceEntities,
  async extract(context: ExtractContext): Promise<SourceSummary> {
    const started = Date.now();
    const { config, paths, logger } = context;
    const sizes = sampleSizes(config.scale, config.seed);
    const extractedAt = new Date().toISOString();
    const landed: EntityLanding[] = [];
    logger.start(
      `sample: generating ${sizes.products} products, ${sizes.users} users and ${sizes.carts} carts (seed ${sizes.seed})`,
    );
    await withDuckdb(duckdbOptionsFor(config), async (connection) => {
      const sql = sampleCommerceSql(sizes, citiesSeedPath, config.asOf);
      for (const statement of sql.setup) await connection.run(statement);
      const relations: Record<string, string> = { products: "sample_products", users: sql.users, carts: sql.carts };
      for (const entity of commerceEntities) {
        const columns = columnsFromSchema(entity.schema);
        const target = landingTarget(paths, "sample", entity.name, extractedAt);
        // Generated from range() in id order: keep that order rather than sort millions of nested rows.
        await landRelation(connection, { relation: relations[entity.name]!, columns, preserveOrder: true, target });
        await assertConforms(connection, target, entity);
        const rowCount = Number(
          (await queryRows(connection, `select count(*) as n from read_parquet($1)`, [target]))[0]?.["n"],
        );
        landed.push(
          await writeLandingManifest(
            paths,
            { source: "sample", entity: entity.name, rowCount, extractedAt, asOf: config.asOf, driftFields: [] },
            columns,
          ),
        );
        logger.info(`sample/${entity.name}: landed ${rowCount} rows`);
      }
      const linesRelation = cartLinesFromParquet(landingTarget(paths, "sample", "carts", extractedAt));
      landed.push(
        ...(await deriveOrders(connection, { linesRelation, asOf: config.asOf, source: "sample", paths, extractedAt })),
      );
      const stripe = sampleStripeSql(
        landingTarget(paths, "sample", "orders", extractedAt),
        landingTarget(paths, "sample", "order_items", extractedAt),
        config.asOf,
      );
      for (const entity of stripeEntities) {
        const name = `stripe_${entity.name}`;
        const columns = columnsFromSchema(entity.schema);
        const target = landingTarget(paths, "sample", name, extractedAt);
        await landRelation(connection, {
          relation: stripe[name as keyof typeof stripe],
          columns,
          orderBy: "id",
          target,
        });
        await assertConforms(connection, target, { ...entity, name });
        const rowCount = Number(
          (await queryRows(connection, `select count(*) as n from read_parquet($1)`, [target]))[0]?.["n"],
        );
        landed.push(
          await writeLandingManifest(
            paths,
            { source: "sample", entity: name, rowCount, extractedAt, asOf: config.asOf, driftFields: [] },
            columns,
          ),
        );
      }
    });
    for (const l of landed.slice(3)) logger.info(`sample/${l.entity}: landed ${l.rowCount} rows`);
    return { source: "sample", landed, failed: [], durationMs: Date.now() - started };
  },
};

/** The generator must honour the same contract as the API: check a slice of what landed against the zod schema. */
async function assertConforms(connection: DuckDBConnection, path: string, entity: EntityDef): Promise<void> {
  const rows = await queryRows(connection, `select * from read_parquet($1) limit 200`, [path]);
  const jsonColumns = columnsFromSchema(entity.schema)
    .filter((c) => c.type === "JSON")
    .map((c) => c.name);
  for (const row of rows) {
    for (const column of jsonColumns)
      if (typeof row[column] === "string") row[column] = JSON.parse(row[column] as string);
    const result = entity.schema.safeParse(row);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new DuckmartError(
        `sample/${entity.name}: generated record id=${String(row["id"])} breaks the schema at "${issue?.path.join(".")}": ${issue?.message}`,
        {
          hint: "This is a bug in the sample generator; please report it.",
        },
      );
    }
  }
}
