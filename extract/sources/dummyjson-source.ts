import { duckdbOptionsFor, withDuckdb } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { Logger } from "../../cli/core/logger.ts";
import { createHttpClient, type HttpClient } from "../http/http-client.ts";
import { RecordWriter } from "../landing/record-writer.ts";
import { pageFormat } from "./dummyjson-page.ts";
import { writeLandingManifest } from "../landing/manifest.ts";
import { cartLinesFromParquet, deriveOrders } from "../orders-from-carts.ts";
import { commerceEntities } from "../schemas/commerce-entities.ts";
import type { EntityDef, EntityFailure, EntityLanding, ExtractContext, Source, SourceSummary } from "../source.ts";
import { fetchPaged } from "./paged-fetch.ts";

/** The DummyJSON API: products, users and carts, paged with limit/skip; orders are derived from carts. */
export const dummyjsonSource: Source = {
  name: "dummyjson",
  live: true,
  entities: commerceEntities,
  async extract(context: ExtractContext): Promise<SourceSummary> {
    const started = Date.now();
    const { config, logger } = context;
    const settings = config.dummyjson;
    const client = createHttpClient({
      ...settings,
      maxSockets: settings.concurrency,
      logger,
      urlSetting: {
        what: "the DummyJSON URL",
        key: "dummyjson.url",
        alternative: "Without network, `--source sample` lands the same entities offline.",
      },
    });
    const landed: EntityLanding[] = [];
    const failed: EntityFailure[] = [];
    const extractedAt = new Date().toISOString();
    try {
      await withDuckdb(duckdbOptionsFor(config), async (connection) => {
        // Entities are fetched concurrently; the shared keep-alive agent still caps requests at --concurrency.
        const results = await Promise.allSettled(
          commerceEntities.map((entity) => landEntity(context, client, entity, extractedAt, connection)),
        );
        results.forEach((result, i) => {
          if (result.status === "fulfilled") landed.push(result.value);
          // Not logged here: the extract stage reports the failures once (one unresolved host fails every entity).
          else failed.push({ source: "dummyjson", entity: commerceEntities[i]!.name, error: result.reason as Error });
        });
        if (landed.some((l) => l.entity === "carts")) {
          const carts = landed.find((l) => l.entity === "carts")!;
          const linesRelation = cartLinesFromParquet(carts.path);
          landed.push(
            ...(await deriveOrders(connection, {
              linesRelation,
              asOf: config.asOf,
              source: "dummyjson",
              paths: context.paths,
              extractedAt,
            })),
          );
        }
      });
    } finally {
      client.close();
    }
    return { source: "dummyjson", landed, failed, durationMs: Date.now() - started };
  },
};

async function landEntity(
  context: ExtractContext,
  client: HttpClient,
  entity: EntityDef,
  extractedAt: string,
  connection: Parameters<Parameters<typeof withDuckdb>[1]>[0],
): Promise<EntityLanding> {
  const { config, paths, logger } = context;
  const writer = new RecordWriter({
    source: "dummyjson",
    entity,
    paths,
    asOf: config.asOf,
    extractedAt,
    connection,
    order: "arrival",
    pageFormat,
  });
  try {
    const total = await fetchPaged({
      client,
      baseUrl: config.dummyjson.url,
      entity: entity.name,
      pageSize: config.dummyjson.pageSize,
      concurrency: config.dummyjson.concurrency,
      onPage: (page) => writer.addRawPage(page),
      // A worker pays off only for many pages; it boots while the next pages are being fetched.
      onTotalPages: (pages) => pages > 4 && writer.startWorker(),
      progress: progressLogger(logger, `dummyjson/${entity.name}`),
    });
    if (writer.rowCount < total) {
      throw new DuckmartError(
        `dummyjson/${entity.name}: received ${writer.rowCount} records but the server reported total=${total}`,
        {
          hint: "The API returned fewer records than it announced; nothing was landed. Try again; if it persists, the API is paging inconsistently.",
          transient: true,
        },
      );
    }
    const columns = await writer.commit();
    if (writer.driftFields.length) {
      logger.warn(
        `Schema drift in dummyjson/${entity.name}: unknown fields landed as JSON: ${writer.driftFields.join(", ")}`,
      );
    }
    const landing = await writeLandingManifest(
      paths,
      {
        source: "dummyjson",
        entity: entity.name,
        rowCount: writer.rowCount,
        extractedAt,
        asOf: config.asOf,
        driftFields: writer.driftFields,
      },
      columns,
    );
    logger.success(`dummyjson/${entity.name}: landed ${landing.rowCount} rows`);
    return landing;
  } finally {
    await writer.discard();
  }
}

function progressLogger(logger: Logger, label: string) {
  let last = 0;
  return (pages: number, totalPages: number, rows: number) => {
    const now = Date.now();
    if (pages === totalPages || now - last > 1000) {
      last = now;
      logger.info(`${label}: fetched page ${pages}/${totalPages} (${rows} rows)`);
    }
  };
}
