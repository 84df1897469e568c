import type { ArgDef, CommandDef } from "citty";
import { closest, suggestion } from "./core/closest.ts";
import { DuckmartError } from "./core/errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own args type
type AnyCommand = CommandDef<any>;
type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const resolve = async <T>(value: Resolvable<T>): Promise<T> =>
  typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;

/** Why a flag some commands take is refused by the others (instead of being silently ignored). */
const refusedBecause: Record<string, string> = {
  "as-of":
    "This command works on the data already landed, as of the day it was landed for. " +
    "Choose the day when landing: `duckmart extract --as-of YYYY-MM-DD`, or `duckmart run --as-of YYYY-MM-DD`.",
};

const usageError = (message: string, hint: string) => new DuckmartError(message, { hint, exitCode: 2 });

/**
 * Check the command line against the command tree before anything runs: an unknown command, an unknown flag,
 * a flag without its value, or a stray argument exits 2 with a suggestion. citty itself accepts all of them.
 */
export async function checkArgs(root: AnyCommand, rawArgs: string[]): Promise<void> {
  let command = root;
  let path = "duckmart";
  let defs = await argDefs(command);
  let positionals = 0;
  const given = new Map<string, string>();
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") return;
    if (token.startsWith("--")) {
      const [name = "", inline] = splitFlag(token.slice(2));
      const def = defs.get(name) ?? defs.get(name.replace(/^no-/, ""));
      if (!def || (name.startsWith("no-") && def.type !== "boolean") || def.type === "positional")
        throw await unknownFlag(root, path, name, [...defs.keys()]);
      if (def.type === "boolean") {
        if (inline !== undefined && !["true", "false"].includes(inline))
          throw usageError(`--${name} is a switch and takes no value (got "${inline}")`, `Write --${name} alone.`);
        continue;
      }
      const value = inline ?? rawArgs[++i];
      if (value === undefined || value === "" || (inline === undefined && isKnownFlag(value, defs)))
        throw usageError(`--${name} needs a value`, `${def.description ?? ""}. See \`${path} --help\`.`);
      // citty keeps the last of a repeated flag: `--skip site --skip freshness` would skip freshness only.
      const earlier = given.get(name);
      if (earlier !== undefined)
        throw usageError(
          `--${name} is given twice ("${earlier}" and "${value}"); only the last would count`,
          /comma/i.test(def.description ?? "")
            ? `Give one list: --${name} ${earlier},${value}.`
            : `Give --${name} once.`,
        );
      given.set(name, value);
      continue;
    }
    if (token.startsWith("-") && token.length > 1) {
      if (token === "-h" || (token === "-v" && command === root)) continue;
      throw usageError(`Unknown flag ${token} for \`${path}\``, `See \`${path} --help\` for its options.`);
    }
    const subCommands = command.subCommands ? await resolve(command.subCommands) : undefined;
    if (subCommands && Object.keys(subCommands).length > 0) {
      const next = subCommands[token];
      if (!next)
        throw usageError(
          `Unknown command "${token}" for \`${path}\`: ${suggestion(token, Object.keys(subCommands))}`,
          `See \`${path} --help\` for its commands.`,
        );
      command = await resolve(next);
      path = `${path} ${token}`;
      defs = await argDefs(command);
      positionals = 0;
      continue;
    }
    const declared = [...defs.values()].filter((d) => d.type === "positional").length;
    if (++positionals > declared)
      throw usageError(
        `Unexpected argument "${token}" for \`${path}\``,
        `\`${path}\` takes ${declared ? `${declared} argument(s)` : "no arguments"}; flags start with --. See \`${path} --help\`.`,
      );
  }
}

async function argDefs(command: AnyCommand): Promise<Map<string, ArgDef>> {
  const defs = new Map<string, ArgDef>();
  for (const [name, def] of Object.entries((await resolve(command.args ?? {})) as Record<string, ArgDef>))
    defs.set(name, def);
  defs.set("help", { type: "boolean" });
  return defs;
}

function splitFlag(flag: string): [string, string | undefined] {
  const at = flag.indexOf("=");
  return at < 0 ? [flag, undefined] : [flag.slice(0, at), flag.slice(at + 1)];
}

function isKnownFlag(token: string, defs: Map<string, ArgDef>): boolean {
  return token.startsWith("--") && defs.has(splitFlag(token.slice(2))[0]);
}

/** "did you mean --x?", or why this command refuses a flag another command takes, or which commands take it. */
async function unknownFlag(root: AnyCommand, path: string, name: string, known: string[]): Promise<DuckmartError> {
  const flags = known.filter((k) => k !== "help");
  const match = closest(name, flags);
  if (match) return usageError(`Unknown flag --${name} for \`${path}\`: did you mean --${match}?`, seeHelp(path));
  const owners = await commandsTaking(root, name);
  const reason = refusedBecause[name];
  if (owners.length)
    return usageError(
      `\`${path}\` does not take --${name} (${owners.map((o) => `\`${o}\``).join(", ")} ${owners.length > 1 ? "do" : "does"})`,
      reason ?? seeHelp(path),
    );
  return usageError(`Unknown flag --${name} for \`${path}\``, seeHelp(path));
}

const seeHelp = (path: string) => `See \`${path} --help\` for its options.`;

async function commandsTaking(command: AnyCommand, flag: string, path = "duckmart"): Promise<string[]> {
  const found: string[] = [];
  if (command.run && (await argDefs(command)).has(flag)) found.push(path);
  for (const [name, sub] of Object.entries(command.subCommands ? await resolve(command.subCommands) : {}))
    found.push(...(await commandsTaking(await resolve(sub as Resolvable<AnyCommand>), flag, `${path} ${name}`)));
  return found;
}
