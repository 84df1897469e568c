import { existsSync } from "node:fs";
import type { LakePaths } from "../../cli/core/paths.ts";
import type { ColumnSpec } from "../../cli/core/contracts/landing.ts";

export interface RawTable {
  name: string;
  source: string;
  entity: string;
  path: string;
  exists: boolean;
  /** Optional raw tables stand in as empty, typed views when nothing has landed (no Stripe, say). */
  emptyColumns?: ColumnSpec[];
  /** Contract columns a source may not land, as SQL over the table: natural keys default to the id as text. */
  defaults?: Record<string, string>;
}

/** The natural (text) keys: the files source lands them (order numbers such as "#1001", SKUs); others use the id. */
const naturalKeys: Record<string, Record<string, string>> = {
  products: { product_key: "cast(id as varchar)" },
  users: { customer_key: "cast(id as varchar)" },
  orders: { order_number: "cast(order_id as varchar)" },
};

/**
 * Models read raw data through stable names (raw_products, raw_stripe_charges, ...) mapped here to the
 * landed Parquet: the commerce entities from the configured source (sample or dummyjson), and payments
 * from Stripe when it was extracted, else from the sample's Stripe-shaped data.
 */
export function rawTables(
  paths: LakePaths,
  commerceSource: string,
  paymentColumns: Record<string, ColumnSpec[]>,
): RawTable[] {
  const commerce = ["products", "users", "carts", "orders", "order_items"].map((entity) => ({
    ...table(`raw_${entity}`, commerceSource, entity),
    ...(naturalKeys[entity] ? { defaults: naturalKeys[entity] } : {}),
  }));
  const stripeSource = existsSync(paths.raw("stripe", "charges")) ? "stripe" : "sample";
  const stripe = Object.entries(paymentColumns).map(([entity, columns]) => ({
    ...table(`raw_stripe_${entity}`, stripeSource, stripeSource === "stripe" ? entity : `stripe_${entity}`),
    emptyColumns: columns,
  }));
  return [...commerce, ...stripe];

  function table(name: string, source: string, entity: string): RawTable {
    const path = paths.raw(source, entity);
    return { name, source, entity, path, exists: existsSync(path) };
  }
}
