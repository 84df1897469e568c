import { existsSync } from "node:fs";
import type { DuckmartConfig } from "../../cli/core/config-schema.ts";
import type { LakePaths } from "../../cli/core/paths.ts";
import { currentRawFile, type ColumnSpec } from "../../cli/core/contracts/landing.ts";
import type { PaymentsSource } from "../../cli/core/contracts/build-manifest.ts";
import { chooseShopSource, type ShopSourceChoice } from "../../cli/core/shop-source.ts";

export interface RawTable {
  name: string;
  source: string;
  entity: string;
  /** The current snapshot's data.parquet ("" when the entity never landed). */
  path: string;
  exists: boolean;
  /** Optional raw tables stand in as empty, typed views when nothing has landed (no payments source, say). */
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

export interface SourceChoice {
  shop: ShopSourceChoice;
  payments: PaymentsSource;
}

/**
 * The sources a build reads, never mixed silently: the shop source (configured explicitly, else the one extracted
 * last, else the default) and the payments source: Stripe when it is configured (STRIPE_API_KEY), else the
 * sample's own payments for a sample shop, else none (the payment marts come out empty).
 */
export function chooseSources(config: DuckmartConfig, paths: LakePaths): SourceChoice {
  const shop = chooseShopSource(config, paths);
  const payments: PaymentsSource = config.stripe.apiKey ? "stripe" : shop.source === "sample" ? "sample" : "none";
  return { shop, payments };
}

/**
 * Models read raw data through stable names (raw_products, raw_stripe_charges, ...) mapped here to the current
 * snapshots: the commerce entities from the shop source, the payments entities from the payments source.
 */
export function rawTables(
  paths: LakePaths,
  shopSource: string,
  paymentColumns: Record<string, ColumnSpec[]>,
  payments: PaymentsSource = shopSource === "sample" ? "sample" : "none",
): RawTable[] {
  const commerce = ["products", "users", "carts", "orders", "order_items"].map((entity) => ({
    ...table(`raw_${entity}`, shopSource, entity),
    ...(naturalKeys[entity] ? { defaults: naturalKeys[entity] } : {}),
  }));
  const stripe = Object.entries(paymentColumns).map(([entity, columns]) => ({
    ...(payments === "none"
      ? { name: `raw_stripe_${entity}`, source: "none", entity, path: "", exists: false }
      : table(`raw_stripe_${entity}`, payments, payments === "stripe" ? entity : `stripe_${entity}`)),
    emptyColumns: columns,
  }));
  return [...commerce, ...stripe];

  function table(name: string, source: string, entity: string): RawTable {
    const path = currentRawFile(paths, source, entity) ?? "";
    return { name, source, entity, path, exists: path !== "" && existsSync(path) };
  }
}
