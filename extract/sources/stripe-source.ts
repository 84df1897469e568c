import type Stripe from "stripe";
import { duckdbOptionsFor, queryRows, quoteLiteral, withDuckdb } from "../../cli/core/duckdb.ts";
import { RecordWriter } from "../landing/record-writer.ts";
import { writeLandingManifest } from "../landing/manifest.ts";
import { stripeEntities } from "../schemas/stripe-entities.ts";
import type { EntityFailure, EntityLanding, ExtractContext, Source, SourceSummary } from "../source.ts";
import { readCursors, saveCursor } from "./stripe-cursors.ts";
import { stripeClient, stripeError } from "./stripe-client.ts";

/** Re-read this many seconds before the saved cursor, for objects that became visible late. */
export const CURSOR_OVERLAP_SECONDS = 3600;

/**
 * Stripe charges, refunds and invoices (with their line items) through the official SDK's auto-pagination.
 * After the first full pull, each run lists only objects created after the saved cursor (minus an overlap)
 * and merges them into the landed Parquet by id. The cursor is saved only after the data has landed.
 */
export const stripeSource: Source = {
  name: "stripe",
  kind: "payments",
  live: true,
  entities: stripeEntities,
  async extract(context: ExtractContext): Promise<SourceSummary> {
    const started = Date.now();
    const { config, paths, logger } = context;
    const apiKey = config.stripe.apiKey;
    if (!apiKey) {
      logger.info(
        "Stripe skipped: STRIPE_API_KEY is not set. Set it (env or .env) to extract charges, refunds and invoices.",
      );
      return {
        source: "stripe",
        landed: [],
        failed: [],
        skipped: "no STRIPE_API_KEY",
        durationMs: Date.now() - started,
      };
    }
    const stripe = stripeClient(apiKey, config.stripe.apiBase);
    const cursors = context.fullRefresh ? {} : await readCursors(paths);
    const landed: EntityLanding[] = [];
    const failed: EntityFailure[] = [];
    const extractedAt = new Date().toISOString();
    await withDuckdb(duckdbOptionsFor(config), async (connection) => {
      const writers = new Map(
        stripeEntities.map((e) => [
          e.name,
          new RecordWriter({ source: "stripe", entity: e, paths, asOf: config.asOf, extractedAt, connection }),
        ]),
      );
      try {
        const since = (entity: string) =>
          cursors[entity] === undefined ? undefined : Math.max(0, cursors[entity] - CURSOR_OVERLAP_SECONDS);
        const listings: [
          string,
          (params: Stripe.PaginationParams & { created?: { gt: number } }) => AsyncIterable<{ created: number }>,
        ][] = [
          ["charges", (p) => stripe.charges.list(p)],
          ["refunds", (p) => stripe.refunds.list(p)],
          ["invoices", (p) => stripe.invoices.list(p)],
        ];
        for (const [entity, list] of listings) {
          try {
            const gt = since(entity);
            let page: unknown[] = [];
            let count = 0;
            for await (const object of list({ limit: 100, ...(gt === undefined ? {} : { created: { gt } }) })) {
              page.push(object);
              if (entity === "invoices")
                await collectLines(stripe, object as Stripe.Invoice, writers.get("invoice_lines")!);
              if (page.length === 100) {
                await writers.get(entity)!.addPage(page);
                count += page.length;
                page = [];
                logger.info(`stripe/${entity}: ${count} objects fetched`);
              }
            }
            await writers.get(entity)!.addPage(page);
          } catch (error) {
            throw stripeError(error, entity, config.stripe.apiBase);
          }
        }
        for (const entity of stripeEntities) {
          const writer = writers.get(entity.name)!;
          const columns = await writer.commit({
            merge: cursors[entity.name === "invoice_lines" ? "invoices" : entity.name] !== undefined,
          });
          const path = writer.target;
          const stats = (
            await queryRows(
              connection,
              `select count(*) as n, coalesce(max(${entity.name === "invoice_lines" ? "period.end" : "created"}), 0) as max_created from read_parquet(${quoteLiteral(path)})`,
            )
          )[0]!;
          landed.push(
            await writeLandingManifest(
              paths,
              {
                source: "stripe",
                entity: entity.name,
                rowCount: Number(stats["n"]),
                extractedAt,
                asOf: config.asOf,
                driftFields: [],
              },
              columns,
            ),
          );
          // Only now that the data is safely landed does the cursor move: a crash before this re-fetches, never skips.
          if (entity.name !== "invoice_lines") await saveCursor(paths, entity.name, Number(stats["max_created"]));
          logger.success(`stripe/${entity.name}: ${writer.rowCount} fetched, ${Number(stats["n"])} landed in total`);
        }
      } catch (error) {
        // Not logged here: the extract stage reports it, once.
        failed.push({ source: "stripe", entity: "*", error: error as Error });
      } finally {
        for (const writer of writers.values()) await writer.discard();
      }
    });
    return { source: "stripe", landed, failed, durationMs: Date.now() - started };
  },
};

async function collectLines(stripe: Stripe, invoice: Stripe.Invoice, writer: RecordWriter): Promise<void> {
  const lines: unknown[] = [];
  const add = (line: Stripe.InvoiceLineItem) => lines.push({ ...line, invoice_id: invoice.id });
  if (invoice.lines?.has_more) {
    for await (const line of stripe.invoices.listLineItems(invoice.id!, { limit: 100 })) add(line);
  } else {
    for (const line of invoice.lines?.data ?? []) add(line);
  }
  if (lines.length) await writer.addPage(lines);
}
