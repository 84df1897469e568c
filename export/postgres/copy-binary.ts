import { once } from "node:events";
import type { DuckDBConnection, DuckDBDataChunk } from "@duckdb/node-api";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import type { ArrowColumn } from "../../cli/core/arrow/duckdb-arrow.ts";
import { BinaryOut, fieldBound, fieldWriter } from "./binary-fields.ts";

/** "PGCOPY\n\377\r\n\0", no flags, no header extension. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
const TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Stream a DuckDB query into `COPY target FROM STDIN (FORMAT binary)`: each chunk's vectors are read in place
 * (DuckDB's C API, as for Arrow) and encoded as Postgres' binary tuples. Postgres then converts nothing from text,
 * and DuckDB formats no CSV: on the large path this halves the CPU of a load (see "Postgres sync" in the README).
 * The next chunk is fetched (on DuckDB's threads) while this one is encoded.
 */
export async function copyBinary(
  client: pg.PoolClient,
  duck: DuckDBConnection,
  options: { target: string; columns: ArrowColumn[]; sql: string; freeze?: boolean },
): Promise<number> {
  const columnList = options.columns.map((c) => quoteIdent(c.name)).join(", ");
  const stream = client.query(
    copyFrom(
      `copy ${options.target} (${columnList}) from stdin with (format binary${options.freeze ? ", freeze" : ""})`,
    ),
  );
  // Postgres may end the COPY with an error at any time (a value it refuses): stop writing, and report its error.
  let pgError: Error | undefined;
  const failed = new Promise<never>((_, reject) =>
    stream.on("error", (error: Error) => {
      pgError ??= error;
      reject(error);
    }),
  );
  failed.catch(() => undefined);
  const send = async (buffers: Buffer[]) => {
    for (const buffer of buffers) {
      if (pgError) throw pgError;
      if (!stream.write(buffer)) await Promise.race([once(stream, "drain"), failed]);
    }
  };
  try {
    const result = await duck.stream(options.sql);
    const out = new BinaryOut();
    out.reserve = 2 + options.columns.reduce((sum, c) => sum + fieldBound(c), 0);
    out.ensure(HEADER.length);
    out.buf.set(HEADER, out.pos);
    out.pos += HEADER.length;
    const count = options.columns.length;
    let next: Promise<DuckDBDataChunk | null> = result.fetchChunk();
    for (let chunk = await next; chunk && chunk.rowCount > 0; chunk = await next) {
      next = result.fetchChunk();
      const length = chunk.rowCount;
      const writers = options.columns.map((c, i) => fieldWriter(chunk!, i, c, length));
      for (let row = 0; row < length; row++) {
        out.ensure(out.reserve);
        out.view.setInt16(out.pos, count);
        out.pos += 2;
        for (let i = 0; i < count; i++) writers[i]!(out, row);
      }
      if (out.full.length) await Promise.race([send(out.take()), failed]);
    }
    out.ensure(TRAILER.length);
    out.buf.set(TRAILER, out.pos);
    out.pos += TRAILER.length;
    await Promise.race([send(out.take()), failed]);
    stream.end();
    await Promise.race([once(stream, "finish"), failed]);
    return Number(stream.rowCount);
  } catch (error) {
    if (pgError) throw pgError;
    // Our side failed: abort the COPY (CopyFail; the transaction rolls back) rather than leave Postgres waiting.
    const closed = new Promise((resolve) => stream.once("close", resolve));
    stream.destroy(error as Error);
    await closed;
    throw error;
  }
}
