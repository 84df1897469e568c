import { DuckmartError } from "../../cli/core/errors.ts";
import { dropSecrets } from "../secret-fields.ts";
import type { EntityDef } from "../source.ts";

export interface ValidatedPage {
  /** NDJSON, one validated record per line. */
  lines: string;
  count: number;
  /** Top-level fields the schema does not know (landed as JSON, reported as drift). */
  drift: string[];
}

/** Drop secret fields, validate every record, and serialise the page; the first bad record throws. */
export function validateRecords(source: string, entity: EntityDef, records: unknown[]): ValidatedPage {
  const known = new Set(Object.keys(entity.schema.shape));
  const drift = new Set<string>();
  let lines = "";
  for (const raw of records) {
    const record = dropSecrets(entity.name, (raw ?? {}) as Record<string, unknown>);
    const result = entity.schema.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join(".") || "(record)";
      const id = JSON.stringify(record[entity.idField] ?? "unknown");
      throw new DuckmartError(
        `${source}/${entity.name}: record id=${id} failed validation at field "${field}": ${issue?.message}`,
        {
          hint: `The API returned data of a shape duckmart does not expect. Nothing was landed for ${entity.name}; the previous Parquet is kept. Check the API, or report the new shape.`,
        },
      );
    }
    const keep = entity.unknownFields === "drop" ? result.data : record;
    if (entity.unknownFields !== "drop") for (const key of Object.keys(record)) if (!known.has(key)) drift.add(key);
    lines += `${JSON.stringify(keep)}\n`;
  }
  return { lines, count: records.length, drift: [...drift] };
}
