import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { once } from "node:events";
import { dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { tempPathFor } from "../../cli/core/atomic.ts";
import { quoteIdent, quoteLiteral, serialized } from "../../cli/core/duckdb.ts";
import type { ColumnSpec } from "../schemas/duckdb-types.ts";

/**
 * An NDJSON spool that DuckDB loads chunk by chunk while more pages are still being fetched: each full
 * chunk goes into a temp table in the background (DuckDB works on its own threads), so little is left to
 * convert once the last page arrives. `relation()` is the union of the chunks, by column name.
 */
export class ChunkedSpool {
  private stream: WriteStream | undefined;
  private path = "";
  private rowsInChunk = 0;
  private readonly tables: string[] = [];
  private loading: Promise<void> = Promise.resolve();
  private readonly files: string[] = [];

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly options: { target: string; name: string; chunkRows: number; columns: () => ColumnSpec[] },
  ) {}

  async write(lines: string, rows: number): Promise<void> {
    if (!this.stream) await this.open();
    if (!this.stream!.write(lines)) await once(this.stream!, "drain");
    this.rowsInChunk += rows;
    if (this.rowsInChunk >= this.options.chunkRows) await this.rotate();
  }

  /** All rows written so far, as one relation; waits for the background loads. */
  async relation(): Promise<string | undefined> {
    await this.rotate();
    await this.loading;
    if (!this.tables.length) return undefined;
    return `(${this.tables.map((t) => `select * from ${quoteIdent(t)}`).join(" union all by name ")})`;
  }

  async dispose(): Promise<void> {
    await this.closeStream();
    await this.loading.catch(() => undefined);
    const tables = this.tables.splice(0);
    await serialized(this.connection, async () => {
      for (const table of tables) await this.connection.run(`drop table if exists ${quoteIdent(table)}`);
    });
    for (const file of this.files.splice(0)) await rm(file, { force: true });
  }

  private async open(): Promise<void> {
    await mkdir(dirname(this.options.target), { recursive: true });
    this.path = tempPathFor(`${this.options.target}.${this.files.length}.ndjson`);
    this.files.push(this.path);
    this.stream = createWriteStream(this.path);
    this.rowsInChunk = 0;
  }

  /** Close the current chunk and load it in the background with the columns known now. */
  private async rotate(): Promise<void> {
    if (!this.stream || this.rowsInChunk === 0) return;
    await this.closeStream();
    const file = this.path;
    const table = `spool_${this.options.name}_${process.pid}_${this.tables.length}`;
    const columns = this.options
      .columns()
      .map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`)
      .join(", ");
    this.tables.push(table);
    const previous = this.loading;
    const load = serialized(this.connection, async () => {
      await previous;
      // Rows keep the file's order, so a writer that keeps arrival order needs no sort later.
      await this.connection.run("set preserve_insertion_order = true");
      try {
        await this.connection.run(
          `create or replace temp table ${quoteIdent(table)} as select * from read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {${columns}})`,
        );
      } finally {
        await this.connection.run("set preserve_insertion_order = false");
      }
      await rm(file, { force: true });
    });
    this.loading = load;
    load.catch(() => undefined);
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream || stream.closed) return;
    stream.end();
    await once(stream, "close");
  }
}
