import { z } from "zod";

/** Canonical order-line fields a file's columns map onto; the first four and one money field are required. */
export const requiredLineFields = ["order_id", "ordered_at", "product_id", "quantity"] as const;
export const moneyLineFields = ["line_net_amount", "line_gross_amount", "unit_price"] as const;
export const optionalLineFields = [
  "customer_id",
  "customer_name",
  "customer_email",
  "customer_phone",
  "order_status",
  "currency",
  "product_name",
  "category",
  "brand",
  "sku",
  "discount_amount",
  "discount_rate",
  "shipped_at",
  "street_address",
  "city",
  "state",
  "postal_code",
  "country",
] as const;
export const lineFields = [...requiredLineFields, ...moneyLineFields, ...optionalLineFields] as const;
export type LineField = (typeof lineFields)[number];

export const orderStatuses = ["completed", "shipped", "pending", "cancelled"] as const;
export const filePresets = ["shopify", "woocommerce"] as const;

/** A column of the file, or several: the first one that is not empty on a line is used. */
const columnRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: "must be a column name (text) of your file, or a list of column names",
});

const columnsSchema = z.strictObject(
  Object.fromEntries(lineFields.map((field) => [field, columnRef.optional()])) as Record<
    LineField,
    z.ZodOptional<typeof columnRef>
  >,
);

export const orderLinesSchema = z
  .strictObject({
    /** One file or a glob (relative to the working directory): CSV, Parquet, JSON or NDJSON. */
    path: z.string().min(1, "give a file or a glob, e.g. exports/orders-*.csv"),
    format: z.enum(["auto", "csv", "parquet", "json"]).default("auto"),
    /** A known export layout that needs no column list; `columns` still overrides single fields. */
    preset: z.enum(filePresets).optional(),
    columns: columnsSchema.default({}),
    /** The file's status values (case-insensitive) mapped to duckmart's statuses, on top of the defaults. */
    statuses: z.record(z.string(), z.enum(orderStatuses)).default({}),
    /** strptime format of ordered_at/shipped_at when they are not ISO-like, e.g. "%d/%m/%Y %H:%M". */
    dateFormat: z.string().min(2).optional(),
    /** refuse (default): a bad value refuses the whole snapshot; quarantine: bad lines are set aside and counted. */
    onBadRows: z.enum(["refuse", "quarantine"]).default("refuse"),
  })
  .superRefine((value, ctx) => {
    if (value.preset) return;
    for (const field of requiredLineFields) {
      if (!value.columns[field])
        ctx.addIssue({
          code: "custom",
          path: ["columns", field],
          message: `required: name the column of your file that holds ${field}`,
        });
    }
    if (!moneyLineFields.some((field) => value.columns[field]))
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: `map one money column: ${moneyLineFields.join(", ")}`,
      });
  });

export type OrderLinesConfig = z.output<typeof orderLinesSchema>;

export const filesConfigSchema = z.strictObject({ orderLines: orderLinesSchema.optional() }).prefault({});
