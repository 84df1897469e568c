import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { once } from "node:events";
import type { DuckDBConnection } from "@duckdb/node-api";
import { tempPathFor } from "../../cli/core/atomic.ts";
import { quoteIdent, quoteLiteral } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { columnsFromSchema, type ColumnSpec } from "../schemas/duckdb-types.ts";
import { dropSecrets } from "../secret-fields.ts";
import type { EntityDef } from "../source.ts";
import { landRelation } from "./land-relation.ts";

export interface RecordWriterOptions {
  source: string;
  entity: EntityDef;
  paths: LakePaths;
  asOf: string;
}

/**
 * Validates pages of API records against the entity's zod schema and spools them as NDJSON;
 * `commit` turns the spool into typed Parquet (atomically). Nothing lands unless every record passed.
 */
export class RecordWriter {
  private readonly spoolPath: string;
  private stream: WriteStream | undefined;
  private readonly known: Set<string>;
  private readonly drift = new Set<string>();
  rowCount = 0;

  constructor(private readonly options: RecordWriterOptions) {
    this.spoolPath = tempPathFor(`${options.paths.raw(options.source, options.entity.name)}.ndjson`);
    this.known = new Set(Object.keys(options.entity.schema.shape));
  }

  async addPage(records: unknown[]): Promise<void> {
    const { source, entity } = this.options;
    if (!this.stream) {
      await mkdir(this.options.paths.rawDir(source), { recursive: true });
      this.stream = createWriteStream(this.spoolPath);
    }
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
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  get driftFields(): string[] {
    return [...this.drift].sort();
  }

  /**
   * Convert the spool to Parquet at data/raw/<source>/<entity>.parquet; returns the column specs landed.
   * With `merge`, rows already landed are kept unless a new row has the same id (incremental sources).
   */
  async commit(connection: DuckDBConnection, options: { merge?: boolean } = {}): Promise<ColumnSpec[]> {
    await this.closeStream();
    const { source, entity, paths } = this.options;
    const columns = [...columnsFromSchema(entity.schema), ...this.driftFields.map((name) => ({ name, type: "JSON" }))];
    const columnMap = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(", ");
    const fresh = this.rowCount
      ? `read_json(${quoteLiteral(this.spoolPath)}, format = 'newline_delimited', columns = {${columnMap}})`
      : `(select ${columns.map((c) => `null::${c.type} as ${quoteIdent(c.name)}`).join(", ")} where false)`;
    const previous = paths.raw(source, entity.name);
    const id = quoteIdent(entity.idField);
    const relation =
      options.merge && existsSync(previous)
        ? `(select * from ${fresh} union all by name select * from read_parquet(${quoteLiteral(previous)}) where ${id} not in (select ${id} from ${fresh}))`
        : fresh;
    try {
      await landRelation(connection, {
        relation,
        columns,
        orderBy: entity.idField,
        target: paths.raw(source, entity.name),
      });
    } finally {
      await this.discard();
    }
    return columns;
  }

  async discard(): Promise<void> {
    await this.closeStream();
    await rm(this.spoolPath, { force: true });
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    if (!stream || stream.closed) return;
    stream.end();
    await once(stream, "close");
  }
}
