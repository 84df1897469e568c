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

/**
 * WooCommerce's "Customer/Order/Coupon Export" extension, format "Default - One Row per Item" (its column
 * keys are documented as stable): one row per line item, the order's fields repeated on every row. Money:
 * item_subtotal is the line before discounts, item_total after (both without tax). Guests have
 * customer_id 0 and are keyed on billing_email. Status slugs, with or without "wc-": completed ->
 * completed; processing, on-hold, pending, checkout-draft -> pending; cancelled, refunded, failed -> cancelled.
 */
export const woocommercePreset: Preset = {
  name: "woocommerce",
  columns: {
    order_id: ["order_number", "order_id"],
    ordered_at: ["date", "order_date"],
    order_status: ["status"],
    currency: ["order_currency"],
    customer_email: ["billing_email"],
    customer_phone: ["billing_phone", "shipping_phone"],
    quantity: ["item_quantity"],
    line_gross_amount: ["item_subtotal"],
    line_net_amount: ["item_total"],
    product_id: ["item_product_id", "item_sku", "item_name"],
    product_name: ["item_name"],
    sku: ["item_sku"],
    street_address: ["shipping_address_1", "billing_address_1"],
    city: ["shipping_city", "billing_city"],
    state: ["shipping_state", "billing_state"],
    postal_code: ["shipping_postcode", "billing_postcode"],
    country: ["shipping_country", "billing_country"],
  },
  expressions: {
    // customer_id 0 is a guest checkout: the email is the key then.
    customer_id: { columns: ["customer_id"], sql: (text) => `nullif(${text("customer_id")}, '0')` },
    customer_name: {
      columns: ["billing_first_name", "billing_last_name", "shipping_first_name", "shipping_last_name"],
      sql: (text) => `coalesce(
            nullif(concat_ws(' ', ${text("billing_first_name")}, ${text("billing_last_name")}), ''),
            nullif(concat_ws(' ', ${text("shipping_first_name")}, ${text("shipping_last_name")}), ''))`,
    },
  },
};

export const presets: Record<string, Preset> = { shopify: shopifyPreset, woocommerce: woocommercePreset };

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
      "checkout-draft",
      "wc-checkout-draft",
    ],
    cancelled: [
      "cancelled",
      "canceled",
      "refunded",
      "voided",
      "failed",
      "returned",
      "wc-cancelled",
      "wc-refunded",
      "wc-failed",
    ],
  }).flatMap(([status, words]) => words.map((word) => [word, status])),
);
