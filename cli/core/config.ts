import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";
import { configSchema, envKeys, secretKeys, type DuckmartConfig } from "./config-schema.ts";
import { closest, suggestion } from "./closest.ts";
import { keysAt } from "./schema-keys.ts";
import { DuckmartError } from "./errors.ts";
import { registerConfigSecrets } from "./redact.ts";

export type Origin = "flag" | "env" | ".env" | "duckmart.config.ts" | "default";
type Flat = Map<string, { value: unknown; origin: Origin; name: string }>;

export interface LoadConfigOptions {
  /** Flag values by config key (dotted), e.g. { "dummyjson.pageSize": 50 }. Undefined values are ignored. */
  flags?: Record<string, unknown>;
  /** The command-line spelling of each flag key, for error messages (default: kebab-case of the key). */
  flagNames?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Precedence: flags, then env (process env over `.env`), then `duckmart.config.ts`, then defaults. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<DuckmartConfig> {
  const cwd = options.cwd ?? process.cwd();
  const flat: Flat = new Map();
  const fileConfig = await readConfigFile(cwd);
  flatten(fileConfig, "", (key, value) => flat.set(key, { value, origin: "duckmart.config.ts", name: key }));
  const dotEnv = readDotEnv(cwd);
  const env = options.env ?? process.env;
  for (const [source, origin] of [
    [dotEnv, ".env"],
    [env, "env"],
  ] as const) {
    for (const [name, key] of Object.entries(envKeys)) {
      const value = source[name];
      if (value !== undefined && value !== "") flat.set(key, { value, origin, name });
    }
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined)
      flat.set(key, { value, origin: "flag", name: `--${options.flagNames?.[key] ?? kebab(key)}` });
  }
  const raw = unflatten(flat);
  // Before validation: even a rejected config's secrets are never printed.
  registerConfigSecrets(raw, secretKeys);
  const result = configSchema.safeParse(raw);
  if (result.success) {
    origins.set(result.data, new Map([...flat].map(([key, { origin }]) => [key, origin])));
    return result.data;
  }
  const issue = result.error.issues[0];
  if (issue?.code === "unrecognized_keys") throw unknownKey(issue.path, issue.keys[0]!);
  const key = issue?.path.join(".") ?? "";
  const from = flat.get(key);
  const shown = from && !secretKeys.has(key) ? ` (got ${JSON.stringify(from.value)})` : "";
  // A key of the config file is named once: `Invalid config "a.b" in duckmart.config.ts`, not `... from ... a.b`.
  const where = !from
    ? ""
    : from.origin === "duckmart.config.ts"
      ? ` in ${from.origin}`
      : ` from ${from.origin} ${from.name}`;
  throw new DuckmartError(`Invalid config "${key}"${where}: ${issue?.message}${shown}`, {
    hint: `${fixWhere(key, from)}; see "Configuration" in the README.`,
    exitCode: 2,
  });
}

function unknownKey(path: readonly PropertyKey[], unknown: string): DuckmartError {
  const key = [...path, unknown].join(".");
  const siblings = keysAt(configSchema, path);
  // A nested key (files.orderLines.columns.unit_prise) is matched against its own object's keys only.
  if (path.length && siblings.length) {
    const match = closest(unknown, siblings);
    return new DuckmartError(
      `Unknown config key "${key}" in duckmart.config.ts: ${match ? `did you mean "${[...path, match].join(".")}"?` : `the keys of ${path.join(".")} are ${siblings.map((k) => `"${k}"`).join(", ")}`}`,
      { hint: 'Fix the key in duckmart.config.ts; see "Configuration" in the README.', exitCode: 2 },
    );
  }
  const known: string[] = [];
  for (const name of keysAt(configSchema, [])) {
    const nested = keysAt(configSchema, [name]);
    known.push(...(nested.length ? nested.map((k) => `${name}.${k}`) : [name]));
  }
  return new DuckmartError(`Unknown config key "${key}" in duckmart.config.ts: ${suggestion(key, known)}`, {
    hint: 'Fix the key in duckmart.config.ts; see "Configuration" in the README.',
    exitCode: 2,
  });
}

function fixWhere(key: string, from: { origin: Origin; name: string } | undefined): string {
  if (from?.origin === "flag") return `Fix ${from.name} on the command line`;
  if (from?.origin === "env") return `Fix ${from.name} in the environment`;
  if (from?.origin === ".env") return `Fix ${from.name} in .env`;
  return `Fix "${key}" in ${from?.origin ?? "your config"}`;
}

const origins = new WeakMap<DuckmartConfig, Map<string, Origin>>();

/** Where a config key's value came from ("default" when nothing set it, or for a config not from loadConfig). */
export function configOrigin(config: DuckmartConfig, key: string): Origin {
  return origins.get(config)?.get(key) ?? "default";
}

const asOfSettings: Record<Origin, string> = {
  flag: "--as-of",
  env: "DUCKMART_AS_OF",
  ".env": "DUCKMART_AS_OF in .env",
  "duckmart.config.ts": "asOf in duckmart.config.ts",
  default: "--as-of",
};

/** Where the user set the as-of, as they would name it in a message: --as-of, DUCKMART_AS_OF, ... */
export function asOfSetting(config: DuckmartConfig): string {
  return asOfSettings[configOrigin(config, "asOf")];
}

async function readConfigFile(cwd: string): Promise<Record<string, unknown>> {
  for (const name of ["duckmart.config.ts", "duckmart.config.js", "duckmart.config.mjs"]) {
    const path = resolve(cwd, name);
    if (!existsSync(path)) continue;
    try {
      // A TypeScript config loads through tsx, scoped to it: the bin may run the compiled CLI without tsx.
      const mod = (
        name.endsWith(".ts")
          ? await (await import("tsx/esm/api")).tsImport(pathToFileURL(path).href, import.meta.url)
          : await import(pathToFileURL(path).href)
      ) as { default?: unknown };
      // A config outside an ESM package loads as CommonJS: its default export arrives wrapped once more.
      const wrapped = mod.default as { default?: unknown } | undefined;
      const value = wrapped && Object.keys(wrapped).join() === "default" ? wrapped.default : wrapped;
      if (value && typeof value === "object") return value as Record<string, unknown>;
      throw new Error("it has no default export object");
    } catch (cause) {
      const reason = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0];
      const noPackage = /Cannot find (package|module) 'duckmart'|require\(\) ES Module .* in a cycle/.test(
        reason ?? "",
      );
      throw new DuckmartError(`Could not load ${path}: ${reason}`, {
        cause,
        hint: noPackage
          ? "duckmart is not installed where this config lives: run `npm install --save-dev <path to duckmart>` there, or drop the import and `export default { ... }` (defineConfig only adds types)."
          : "It must `export default defineConfig({...})`.",
        exitCode: 2,
      });
    }
  }
  return {};
}

function readDotEnv(cwd: string): Record<string, string | undefined> {
  const path = resolve(cwd, ".env");
  return existsSync(path) ? parseEnv(readFileSync(path, "utf8")) : {};
}

function flatten(value: Record<string, unknown>, prefix: string, set: (key: string, value: unknown) => void): void {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, set);
    else if (v !== undefined) set(key, v);
  }
}

function unflatten(flat: Flat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, { value }] of flat) {
    const parts = key.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return out;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/\./g, "-");
}
