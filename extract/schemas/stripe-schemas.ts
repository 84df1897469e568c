import { z } from "zod";

/** The Stripe fields duckmart models; amounts are integers in the currency's minor unit. */
const id = z.string().min(1);
const int = z.number().int();
const nullableString = z.string().nullish();
const metadata = z.record(z.string(), z.string()).nullish();

export const chargeSchema = z.object({
  id,
  object: z.literal("charge"),
  amount: int,
  amount_captured: int,
  amount_refunded: int,
  balance_transaction: nullableString,
  captured: z.boolean(),
  created: int,
  currency: z.string().length(3),
  customer: nullableString,
  description: nullableString,
  failure_code: nullableString,
  failure_message: nullableString,
  metadata,
  paid: z.boolean(),
  payment_intent: nullableString,
  refunded: z.boolean(),
  status: z.enum(["succeeded", "pending", "failed"]),
});

export const refundSchema = z.object({
  id,
  object: z.literal("refund"),
  amount: int,
  charge: nullableString,
  created: int,
  currency: z.string().length(3),
  metadata,
  payment_intent: nullableString,
  reason: nullableString,
  status: nullableString,
});

export const invoiceSchema = z.object({
  id,
  object: z.literal("invoice"),
  amount_due: int,
  amount_paid: int,
  amount_remaining: int,
  created: int,
  currency: z.string().length(3),
  customer: nullableString,
  due_date: int.nullish(),
  metadata,
  number: nullableString,
  period_end: int.nullish(),
  period_start: int.nullish(),
  status: nullableString,
  subtotal: int,
  total: int,
});

/** Invoice line items, flattened out of `invoice.lines` (invoice_id added). */
export const invoiceLineSchema = z.object({
  id,
  invoice_id: id,
  amount: int,
  currency: z.string().length(3),
  description: nullableString,
  quantity: int.nullish(),
  period: z.object({ start: int, end: int }).nullish(),
  metadata,
});
