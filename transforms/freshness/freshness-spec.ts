import { z } from "zod";

const hoursPer = { minute: 1 / 60, hour: 1, day: 24, week: 168 } as const;
const units: Record<string, keyof typeof hoursPer> = {
  m: "minute",
  min: "minute",
  minute: "minute",
  minutes: "minute",
  h: "hour",
  hour: "hour",
  hours: "hour",
  d: "day",
  day: "day",
  days: "day",
  w: "week",
  week: "week",
  weeks: "week",
};

/** "26h", "3 days", "90m", or dbt's { count: 26, period: hour }; parsed to hours. */
const duration = z.unknown().transform((value, ctx) => {
  const hours = parseDuration(value);
  if (hours === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `use a duration like "26h", "3d" or "90m", or count: and period: keys (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  return hours;
});

function parseDuration(value: unknown): number | undefined {
  if (typeof value === "string") {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
    const unit = match ? units[match[2]!.toLowerCase()] : undefined;
    return match && unit ? Number(match[1]) * hoursPer[unit] : undefined;
  }
  if (value && typeof value === "object" && Object.keys(value).sort().join() === "count,period") {
    const { count, period } = value as { count: unknown; period: unknown };
    const unit = typeof period === "string" ? units[period] : undefined;
    return typeof count === "number" && count > 0 && unit ? count * hoursPer[unit] : undefined;
  }
  return undefined;
}

const warnBeforeError: [(l: { warn_after?: number; error_after?: number }) => boolean, z.core.$ZodCustomParams] = [
  (l) => l.warn_after === undefined || l.error_after === undefined || l.warn_after <= l.error_after,
  { message: "warn_after must not be longer than error_after", path: ["warn_after"] },
];

const newestEvent = z
  .strictObject({
    column: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "use a column name of the raw table"),
    warn_after: duration.optional(),
    error_after: duration.optional(),
  })
  .refine(...warnBeforeError);

/**
 * A raw table's `freshness:` block in transforms/sources.yml:
 *
 *     freshness:
 *       warn_after: 26h          # on how long ago the table was extracted (clock)
 *       error_after: 50h
 *       newest_event:            # optional: on the newest value of a column (against the as-of)
 *         column: ordered_at
 *         warn_after: 2d
 *         error_after: 7d
 */
export const freshnessSpec = z
  .strictObject({
    warn_after: duration.optional(),
    error_after: duration.optional(),
    newest_event: newestEvent.optional(),
  })
  .refine(...warnBeforeError);

export type FreshnessSpec = z.output<typeof freshnessSpec>;
