import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent, serialized } from "../../cli/core/duckdb.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { currentRawFile, landingTarget, readSnapshotSql } from "../../cli/core/contracts/landing.ts";
import { columnsFromSchema, type ColumnSpec } from "../schemas/duckdb-types.ts";
import type { EntityDef } from "../source.ts";
import { ChunkedSpool } from "./chunked-spool.ts";
import { validateRecords, type ValidatedPage } from "./validate-records.ts";
import { ValidationWorker } from "./validation-worker-client.ts";
import { landRelation } from "./land-relation.ts";
import type { PageFormat } from "./page-format.ts";

export interface RecordWriterOptions {
  source: string;
  entity: EntityDef;
  paths: LakePaths;
  asOf: string;
  /** The extraction's clock time: names the snapshot the entity lands in. */
  extractedAt: string;
  /** Where the spool is loaded, chunk by chunk, while fetching goes on. */
  connection: DuckDBConnection;
  /** Rows per spool chunk (default 5,000: small chunks leave little to load after the last page). */
  chunkRows?: number;
  /** "arrival": pages come in the API's order, keep it (no sort); "id" (default): sort by the id field. */
  order?: "arrival" | "id";
  /** How raw pages are parsed (`addRawPage`); sources that hand over parsed records need none. */
  pageFormat?: PageFormat;
}

/**
 * Validates pages of API records against the entity's zod schema and spools them (see ChunkedSpool);
 * `commit` turns them into typed Parquet (atomically). Nothing lands unless every record passed.
 */
export class RecordWriter {
  private readonly spool: ChunkedSpool;
  private readonly drift = new Set<string>();
  private worker: ValidationWorker | undefined;
  rowCount = 0;

  /** The snapshot's data.parquet (pending until the source's snapshots are published). */
  readonly target: string;

  constructor(private readonly options: RecordWriterOptions) {
    this.target = landingTarget(options.paths, options.source, options.entity.name, options.extractedAt);
    this.spool = new ChunkedSpool(options.connection, {
      target: this.target,
      name: `${options.source}_${options.entity.name}`,
      chunkRows: options.chunkRows ?? 5_000,
      columns: () => this.columns(),
    });
  }

  private columns(): ColumnSpec[] {
    return [
      ...columnsFromSchema(this.options.entity.schema),
      ...this.driftFields.map((name) => ({ name, type: "JSON" })),
    ];
  }

  /** Validate already-parsed records on this thread (Stripe's SDK objects, tests). */
  async addPage(records: unknown[]): Promise<void> {
    await this.append(validateRecords(this.options.source, this.options.entity, records));
  }

  /**
   * Parse and validate a raw page; returns its row count. With a worker started (many pages to come), this
   * happens on the worker thread, leaving this thread free for HTTP; otherwise inline.
   */
  async addRawPage(page: { url: string; text: string }): Promise<number> {
    const { source, entity } = this.options;
    const validated = this.worker
      ? await this.worker.validate(page.url, page.text)
      : validateRecords(source, entity, this.format().parse(page.url, entity.name, page.text).records);
    await this.append(validated);
    return validated.count;
  }

  /** Start the validation worker (it takes a few hundred ms to boot: start it before the pages arrive). */
  startWorker(): void {
    this.worker ??= new ValidationWorker(this.options.source, this.options.entity.name, this.format().module);
  }

  private format(): PageFormat {
    if (!this.options.pageFormat)
      throw new Error(`No page format for ${this.options.source}/${this.options.entity.name}`);
    return this.options.pageFormat;
  }

  private async append(page: ValidatedPage): Promise<void> {
    for (const field of page.drift) this.drift.add(field);
    this.rowCount += page.count;
    if (page.count) await this.spool.write(page.lines, page.count);
  }

  get driftFields(): string[] {
    return [...this.drift].sort();
  }

  /**
   * Convert the spool to the snapshot's Parquet; returns the column specs landed. With `merge`, the rows of the
   * current snapshot are kept unless a new row has the same id (incremental sources): a new full snapshot.
   */
  async commit(options: { merge?: boolean } = {}): Promise<ColumnSpec[]> {
    const { source, entity, paths, connection } = this.options;
    const columns = this.columns();
    const spooled = await this.spool.relation();
    const fresh =
      spooled ?? `(select ${columns.map((c) => `null::${c.type} as ${quoteIdent(c.name)}`).join(", ")} where false)`;
    const previous = currentRawFile(paths, source, entity.name);
    const id = quoteIdent(entity.idField);
    const relation =
      options.merge && previous
        ? `(select * from ${fresh} union all by name select * from ${readSnapshotSql(previous)} where ${id} not in (select ${id} from ${fresh}))`
        : fresh;
    try {
      const keepArrival = this.options.order === "arrival" && !options.merge;
      await serialized(connection, () =>
        landRelation(connection, {
          relation,
          columns,
          target: this.target,
          ...(keepArrival ? { preserveOrder: true } : { orderBy: entity.idField }),
        }),
      );
    } finally {
      await this.discard();
    }
    return columns;
  }

  async discard(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
    await this.spool.dispose();
  }
}
