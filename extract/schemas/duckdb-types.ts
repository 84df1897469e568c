import { createHash } from "node:crypto";
import { z } from "zod";
import type { ColumnSpec } from "../../cli/core/contracts/landing.ts";
import { quoteIdent } from "../../cli/core/duckdb.ts";

export type { ColumnSpec } from "../../cli/core/contracts/landing.ts";

type JsonSchema = {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  /** Set with `.meta({ duckdb: "TIMESTAMP" })` where JSON Schema cannot say the type. */
  duckdb?: string;
};

/** The DuckDB column types of an object schema: nested objects become STRUCT, arrays LIST. */
export function columnsFromSchema(schema: z.ZodType): ColumnSpec[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({ name, type: duckType(prop, name) }));
}

function duckType(schema: JsonSchema, path: string): string {
  if (schema.duckdb) return schema.duckdb;
  const variants = schema.anyOf?.filter((s) => s.type !== "null");
  if (variants && variants.length === 1) return duckType(variants[0]!, path);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (schema.enum && !type) return "VARCHAR";
  switch (type) {
    case "integer":
      return "BIGINT";
    case "number":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "string":
      return schema.format === "date-time" ? "TIMESTAMP" : schema.format === "date" ? "DATE" : "VARCHAR";
    case "array":
      return `${duckType(schema.items ?? {}, `${path}[]`)}[]`;
    case "object": {
      const fields = Object.entries(schema.properties ?? {}).map(
        ([k, v]) => `${quoteIdent(k)} ${duckType(v, `${path}.${k}`)}`,
      );
      return fields.length ? `STRUCT(${fields.join(", ")})` : "JSON";
    }
    default:
      return "JSON";
  }
}

/** A stable hash of the column list, recorded in each landing manifest to spot schema changes. */
export function schemaHash(columns: ColumnSpec[]): string {
  return createHash("sha256")
    .update(columns.map((c) => `${c.name} ${c.type}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/** `cast(col as TYPE) as col, ...`: forces a relation onto the contract's types. */
export function castList(columns: ColumnSpec[]): string {
  return columns.map((c) => `cast(${quoteIdent(c.name)} as ${c.type}) as ${quoteIdent(c.name)}`).join(",\n    ");
}
