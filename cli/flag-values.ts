import { suggestion } from "./core/closest.ts";
import { DuckmartError } from "./core/errors.ts";

/** Values of the flags that are not config keys, checked before anything runs (exit 2 naming the flag). */
type Flags = Record<string, unknown>;

const invalid = (flag: string, value: string, fix: string) =>
  new DuckmartError(`Invalid --${flag} "${value}": ${fix}`, {
    hint: `Fix --${flag} on the command line.`,
    exitCode: 2,
  });

/** A number flag within [min, max]; `integer` refuses fractions. */
export function numberFlag(
  args: Flags,
  flag: string,
  range: { min: number; max: number; integer?: boolean; unit?: string },
): number | undefined {
  const raw = args[flag];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  const kind = range.integer ? "a whole number" : "a number";
  const unit = range.unit ? ` ${range.unit}` : "";
  if (Number.isNaN(value) || (range.integer && !Number.isInteger(value)) || value < range.min || value > range.max)
    throw invalid(flag, String(raw), `use ${kind} from ${range.min} to ${range.max}${unit}`);
  return value;
}

/** A comma-separated list whose items must each be one of `allowed`. */
export function choiceListFlag<T extends string>(args: Flags, flag: string, allowed: readonly T[]): T[] | undefined {
  const list = splitList(args[flag]);
  if (args[flag] !== undefined && !list?.length) throw invalid(flag, String(args[flag]), `list ${allowed.join(", ")}`);
  for (const item of list ?? [])
    if (!allowed.includes(item as T))
      throw invalid(
        flag,
        item,
        suggestion(item, allowed, (c) => c),
      );
  return list as T[] | undefined;
}

/** --build: the shape of a build id (whether it exists is checked when the build is opened). */
export function buildIdFlag(args: Flags): string | undefined {
  const raw = args["build"];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  if (!/^b-\d{8}-\d{6}-[0-9a-f]{4}$/.test(text))
    throw invalid("build", String(raw), 'use a build id such as b-20261126-045340-3f9a ("duckmart builds" lists them)');
  return text;
}

export function splitList(value: unknown): string[] | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
