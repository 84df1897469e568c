import type { LineField } from "../../../cli/core/files-config-schema.ts";

/**
 * A known export layout. `columns` name the export's columns (a list: the first non-empty one is used;
 * columns a given export lacks are skipped). `expressions` compute a field from several columns: they get
 * a function that returns a column's trimmed text (null when empty) and must return null on lines that
 * do not carry the order-level fields (later lines of an order).
 */
export interface Preset {
  name: string;
  columns: Partial<Record<LineField, string[]>>;
  expressions?: Partial<Record<LineField, { columns: string[]; sql: (text: (column: string) => string) => string }>>;
}

/**
 * Shopify's "Export orders" CSV (Orders > Export): one row per line item; order-level fields (Email,
 * Financial Status, Fulfillment Status, totals, Created at, addresses) only on an order's first row.
 * Columns used: Name, Created at, Email, Billing Name, Billing Phone, Currency, Financial Status,
 * Fulfillment Status, Cancelled at, Fulfilled at, Lineitem quantity, Lineitem name, Lineitem price,
 * Lineitem sku, Lineitem discount, Vendor, Shipping Address1/City/Province/Zip/Country (Billing as fallback).
 */
export const shopifyPreset: Preset = {
  name: "shopify",
  columns: {
    order_id: ["Name"],
    ordered_at: ["Created at"],
    customer_email: ["Email"],
    customer_name: ["Billing Name", "Shipping Name"],
    customer_phone: ["Billing Phone", "Shipping Phone", "Phone"],
    currency: ["Currency"],
    quantity: ["Lineitem quantity"],
    unit_price: ["Lineitem price"],
    discount_amount: ["Lineitem discount"],
    product_id: ["Lineitem sku", "Lineitem name"],
    product_name: ["Lineitem name"],
    sku: ["Lineitem sku"],
    brand: ["Vendor"],
    shipped_at: ["Fulfilled at"],
    street_address: ["Shipping Address1", "Billing Address1"],
    city: ["Shipping City", "Billing City"],
    state: ["Shipping Province", "Billing Province"],
    postal_code: ["Shipping Zip", "Billing Zip"],
    country: ["Shipping Country", "Billing Country"],
  },
  expressions: {
    // Cancelled or fully refunded/voided: cancelled; unpaid: pending; paid: by fulfilment.
    order_status: {
      columns: ["Financial Status", "Fulfillment Status", "Cancelled at"],
      sql: (text) => `case
            when coalesce(${text("Financial Status")}, ${text("Fulfillment Status")}, ${text("Cancelled at")}) is null then null
            when ${text("Cancelled at")} is not null then 'cancelled'
            when lower(${text("Financial Status")}) in ('refunded', 'voided') then 'cancelled'
            when lower(${text("Financial Status")}) in ('pending', 'authorized', 'partially_paid', 'unpaid', 'expired') then 'pending'
            when lower(${text("Fulfillment Status")}) = 'fulfilled' then 'completed'
            when lower(${text("Fulfillment Status")}) in ('partial', 'partially_fulfilled') then 'shipped'
            else 'pending'
        end`,
    },
  },
};

export const presets: Record<string, Preset> = { shopify: shopifyPreset };

/** Status words of common shop systems, lowercased; `files.orderLines.statuses` adds to them. */
export const defaultStatuses: Record<string, string> = Object.fromEntries(
  Object.entries({
    completed: ["completed", "complete", "fulfilled", "delivered", "paid", "closed", "done", "wc-completed"],
    shipped: ["shipped", "in transit", "partially fulfilled", "partially_fulfilled", "partial", "dispatched"],
    pending: [
      "pending",
      "processing",
      "on-hold",
      "on hold",
      "unfulfilled",
      "open",
      "new",
      "authorized",
      "awaiting payment",
      "wc-pending",
      "wc-processing",
      "wc-on-hold",
    ],
    cancelled: ["cancelled", "canceled", "refunded", "voided", "failed", "returned", "wc-cancelled", "wc-refunded"],
  }).flatMap(([status, words]) => words.map((word) => [word, status])),
);
