import { quoteIdent } from "../cli/core/duckdb.ts";
import type { CatalogNode } from "../cli/core/contracts/catalog.ts";

/** The DuckDB variable that holds the salt: the secret never appears in a query text. */
export const SALT_VARIABLE = "duckmart_pii_salt";

/**
 * The PII policy (see "Warehouse" in the README): a column tagged `pii` is never published in clear in the
 * marts schema. It is published as `<column>_hash`, the hex SHA-256 of salt || lower(trim(value)), so an analyst
 * can still count and join distinct emails. With the opt-in, the clear values go to a separate schema too.
 */
export interface MartSelect {
  /** DuckDB SELECT over the mart for the marts schema. */
  publicSql: string;
  /** DuckDB SELECT for the PII schema (primary key + clear PII columns); undefined when there is nothing to hide. */
  piiSql?: string;
  publicComments: Record<string, string>;
  piiComments: Record<string, string>;
}

export function martSelect(node: CatalogNode, source: string, columns: string[]): MartSelect {
  const docs = new Map(node.columns.map((c) => [c.name, c]));
  const isPii = (column: string) => docs.get(column)?.pii === true;
  const hidden = columns.filter(isPii);
  const publicComments: Record<string, string> = {};
  const piiComments: Record<string, string> = {};
  const parts = columns.map((column) => {
    const doc = docs.get(column)?.description ?? "";
    if (!isPii(column)) {
      if (doc) publicComments[column] = doc;
      return quoteIdent(column);
    }
    const hashed = `${column}_hash`;
    publicComments[hashed] =
      `PII, masked: salted SHA-256 of lower(trim(${column})); the clear value is not published here. ${doc}`.trim();
    piiComments[column] = `PII: ${doc}`.trim();
    return `sha256(getvariable('${SALT_VARIABLE}') || lower(trim(${quoteIdent(column)}::varchar))) as ${quoteIdent(hashed)}`;
  });
  for (const key of node.primaryKey) {
    const doc = docs.get(key)?.description;
    if (doc) piiComments[key] = doc;
  }
  const keys = node.primaryKey.filter((k) => columns.includes(k));
  return {
    publicSql: `select ${parts.join(", ")} from ${source}`,
    piiSql:
      hidden.length && keys.length
        ? `select ${[...keys, ...hidden].map(quoteIdent).join(", ")} from ${source}`
        : undefined,
    publicComments,
    piiComments,
  };
}

export { piiSalt } from "../cli/core/pii-salt.ts";
