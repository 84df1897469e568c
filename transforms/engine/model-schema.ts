import { z } from "zod";
import { freshnessSpec } from "../freshness/freshness-spec.ts";

/**
 * The yml beside the models (and transforms/sources.yml, transforms/seeds/seeds.yml), validated with zod.
 * Strict objects everywhere: an unknown key is almost always a slip.
 */
const severity = z.enum(["error", "warn"]).default("error");
const testSpec = z.union([
  z.enum(["unique", "not_null"]),
  z.strictObject({ unique: z.strictObject({ severity }).prefault({}) }),
  z.strictObject({
    not_null: z
      .strictObject({
        severity,
        // "stg_users.city": test only when the source gives that field at all (some row has it), so a source
        // without it (a files export with no city column) does not warn on every run.
        if_any_in: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'Name a model\'s column: "stg_users.city"')
          .optional(),
      })
      .prefault({}),
  }),
  z.strictObject({
    accepted_values: z.strictObject({ values: z.array(z.union([z.string(), z.number(), z.boolean()])), severity }),
  }),
  z.strictObject({ relationships: z.strictObject({ to: z.string(), field: z.string(), severity }) }),
  z.strictObject({ expression: z.string(), name: z.string().optional(), severity: severity.optional() }),
]);
export type TestSpec = z.infer<typeof testSpec>;

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use a plain SQL name (letters, digits, _)");
const columnList = z.array(identifier).min(1, "List at least one column");

/**
 * A foreign key, in one of two forms:
 *
 *     - column: order_id                 # one column
 *       references: fact_orders.order_id
 *
 *     - columns:                          # several columns
 *         - order_id
 *         - line_number
 *       references:
 *         model: fact_order_lines
 *         columns:
 *           - order_id
 *           - line_number
 */
const foreignKey = z.union([
  z
    .strictObject({
      column: identifier,
      references: z.string().regex(/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/, 'Write the target as "model.column"'),
    })
    .transform(({ column, references }) => {
      const [model = "", target = ""] = references.split(".");
      return { columns: [column], references: { model, columns: [target] } };
    }),
  z
    .strictObject({ columns: columnList, references: z.strictObject({ model: identifier, columns: columnList }) })
    .refine((fk) => fk.columns.length === fk.references.columns.length, {
      message: "A foreign key references as many columns as it has",
      path: ["references", "columns"],
    }),
]);
export type ForeignKey = z.output<typeof foreignKey>;

/**
 * How the sync publishes a table model: `full` (replace all rows, the default) or `incremental`
 * (upsert on `unique_key`, which defaults to the primary key, when the sync runs with --incremental).
 */
const syncSpec = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("full") }),
  z.strictObject({ mode: z.literal("incremental"), unique_key: columnList.optional() }),
]);

/** Row-count guards (error severity): against the row count of the same mart in the build that was current. */
const guardsDoc = z.strictObject({
  row_count: z
    .strictObject({
      /** May the mart come out empty when the previous build had rows? */
      allow_empty: z.boolean().default(false),
      /** The largest shrink allowed against the previous build, in percent (100 = any). */
      max_shrink_pct: z.number().min(0).max(100).default(50),
    })
    .prefault({}),
});
export type GuardsDoc = z.output<typeof guardsDoc>;

const columnDoc = z.strictObject({
  name: z.string(),
  description: z.string().default(""),
  pii: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  tests: z.array(testSpec).default([]),
});

export const modelDoc = z.strictObject({
  name: z.string(),
  description: z.string().default(""),
  materialized: z.enum(["view", "table"]).optional(),
  tags: z.array(z.string()).default([]),
  /** One or more columns; generates unique and not_null tests. */
  primary_key: columnList.optional(),
  /** Generate relationships tests; the sync creates the constraints. */
  foreign_keys: z.array(foreignKey).default([]),
  sync: syncSpec.default({ mode: "full" }),
  columns: z.array(columnDoc).default([]),
  tests: z.array(testSpec).default([]),
  /** Row-count guards; the defaults apply to every table model. */
  guards: guardsDoc.prefault({}),
});
export type ModelDoc = z.output<typeof modelDoc>;
export type ColumnDoc = z.output<typeof columnDoc>;

/** A raw table's docs: a model's, plus freshness limits (checked by the operations code). */
export const sourceDoc = modelDoc.extend({ freshness: freshnessSpec.optional() });
export type SourceDoc = z.output<typeof sourceDoc>;

/**
 * A snapshot (SCD type 2) beside the models: transforms/snapshots/<name>.sql selects the tracked rows from raw
 * tables; `unique_key` identifies a record; the `check` strategy opens a new version when one of `check_cols`
 * changes, the `timestamp` strategy when `updated_at` moves forward. Versions are valid from an as-of day.
 */
export const snapshotDoc = modelDoc
  .extend({
    unique_key: identifier,
    strategy: z.enum(["check", "timestamp"]),
    check_cols: columnList.optional(),
    updated_at: identifier.optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.strategy === "check" && !doc.check_cols)
      ctx.addIssue({ code: "custom", path: ["check_cols"], message: "The check strategy needs check_cols" });
    if (doc.strategy === "timestamp" && !doc.updated_at)
      ctx.addIssue({ code: "custom", path: ["updated_at"], message: "The timestamp strategy needs updated_at" });
  });
export type SnapshotDoc = z.output<typeof snapshotDoc>;

/**
 * A macro (transforms/macros/<name>.sql): one `create or replace macro <name>(...)` statement, documented with its
 * arguments in the same order as in the SQL.
 */
export const macroDoc = z.strictObject({
  name: identifier,
  description: z.string().min(1),
  arguments: z.array(z.strictObject({ name: identifier, description: z.string().min(1) })).default([]),
});
export type MacroDoc = z.output<typeof macroDoc>;

export const ymlFile = z.strictObject({
  models: z.array(modelDoc).default([]),
  macros: z.array(macroDoc).default([]),
  snapshots: z.array(snapshotDoc).default([]),
  sources: z.array(sourceDoc).default([]),
  seeds: z.array(modelDoc).default([]),
});
export type YmlFile = z.output<typeof ymlFile>;
