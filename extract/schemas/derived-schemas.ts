import { z } from "zod";

/** Orders and order items are derived from carts (see orders-from-carts.ts); ids are the cart's. */
export const orderSchema = z.object({
  order_id: z.number().int(),
  user_id: z.number().int(),
  ordered_at: z.iso.datetime({ local: true }).meta({ duckdb: "TIMESTAMP" }),
  status: z.enum(["completed", "shipped", "pending", "cancelled"]),
  line_count: z.number().int(),
  total_quantity: z.number().int(),
  gross_total: z.number(),
  discounted_total: z.number(),
});

/** One row per cart line: the same product may appear on two lines of one order, as in the real data. */
export const orderItemSchema = z.object({
  order_item_id: z.number().int(),
  order_id: z.number().int(),
  line_number: z.number().int(),
  product_id: z.number().int(),
  product_title: z.string(),
  unit_price: z.number(),
  quantity: z.number().int(),
  line_total: z.number(),
  discount_percentage: z.number(),
  discounted_line_total: z.number(),
});
