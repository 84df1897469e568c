import { existsSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent, quoteLiteral, serialized } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { columnsFromSchema, type ColumnSpec } from "../schemas/duckdb-types.ts";
import { dropSecrets } from "../secret-fields.ts";
import type { EntityDef } from "../source.ts";
import { ChunkedSpool } from "./chunked-spool.ts";
import { landRelation } from "./land-relation.ts";

export interface RecordWriterOptions {
  source: string;
  entity: EntityDef;
  paths: LakePaths;
  asOf: string;
  /** Where the spool is loaded, chunk by chunk, while fetching goes on. */
  connection: DuckDBConnection;
  /** Rows per spool chunk (default 5,000: small chunks leave little to load after the last page). */
  chunkRows?: number;
}

/**
 * Validates pages of API records against the entity's zod schema and spools them (see ChunkedSpool);
 * `commit` turns them into typed Parquet (atomically). Nothing lands unless every record passed.
 */
export class RecordWriter {
  private readonly spool: ChunkedSpool;
  private readonly known: Set<string>;
  private readonly drift = new Set<string>();
  rowCount = 0;

  constructor(private readonly options: RecordWriterOptions) {
    this.known = new Set(Object.keys(options.entity.schema.shape));
    this.spool = new ChunkedSpool(options.connection, {
      target: options.paths.raw(options.source, options.entity.name),
      name: `${options.source}_${options.entity.name}`,
      chunkRows: options.chunkRows ?? 5_000,
      columns: () => this.columns(),
    });
  }

  private columns(): ColumnSpec[] {
    return [...columnsFromSchema(this.options.entity.schema), ...this.driftFields.map((name) => ({ name, type: "JSON" }))];
  }

  async addPage(records: unknown[]): Promise<void> {
    const { source, entity } = this.options;
    let chunk = "";
    for (const raw of records) {
      const record = dropSecrets(entity.name, (raw ?? {}) as Record<string, unknown>);
      const result = entity.schema.safeParse(record);
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.join(".") || "(record)";
        const id = JSON.stringify(record[entity.idField] ?? "unknown");
        throw new DuckmartError(`${source}/${entity.name}: record id=${id} failed validation at field "${field}": ${issue?.message}`, {
          hint: `The API returned data of a shape duckmart does not expect. Nothing was landed for ${entity.name}; the previous Parquet is kept. Check the API, or report the new shape.`,
        });
      }
      const keep = entity.unknownFields === "drop" ? result.data : record;
      if (entity.unknownFields !== "drop") for (const key of Object.keys(record)) if (!this.known.has(key)) this.drift.add(key);
      chunk += `${JSON.stringify(keep)}\n`;
      this.rowCount++;
    }
    if (records.length) await this.spool.write(chunk, records.length);
  }

  get driftFields(): string[] {
    return [...this.drift].sort();
  }

  /**
   * Convert the spool to Parquet at data/raw/<source>/<entity>.parquet; returns the column specs landed.
   * With `merge`, rows already landed are kept unless a new row has the same id (incremental sources).
   */
  async commit(options: { merge?: boolean } = {}): Promise<ColumnSpec[]> {
    const { source, entity, paths, connection } = this.options;
    const columns = this.columns();
    const spooled = await this.spool.relation();
    const fresh = spooled ?? `(select ${columns.map((c) => `null::${c.type} as ${quoteIdent(c.name)}`).join(", ")} where false)`;
    const previous = paths.raw(source, entity.name);
    const id = quoteIdent(entity.idField);
    const relation =
      options.merge && existsSync(previous)
        ? `(select * from ${fresh} union all by name select * from read_parquet(${quoteLiteral(previous)}) where ${id} not in (select ${id} from ${fresh}))`
        : fresh;
    try {
      await serialized(connection, () => landRelation(connection, { relation, columns, orderBy: entity.idField, target: previous }));
    } finally {
      await this.discard();
    }
    return columns;
  }

  async discard(): Promise<void> {
    await this.spool.dispose();
  }
}
