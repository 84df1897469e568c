import type { EntityDef } from "../source.ts";
import { chargeSchema, invoiceLineSchema, invoiceSchema, refundSchema } from "./stripe-schemas.ts";

/** Stripe entities: only the modelled fields land (Stripe adds fields all the time; that is not drift). */
export const stripeEntities: EntityDef[] = [
  { name: "charges", schema: chargeSchema, idField: "id", unknownFields: "drop" },
  { name: "refunds", schema: refundSchema, idField: "id", unknownFields: "drop" },
  { name: "invoices", schema: invoiceSchema, idField: "id", unknownFields: "drop" },
  { name: "invoice_lines", schema: invoiceLineSchema, idField: "id", unknownFields: "drop" },
];
