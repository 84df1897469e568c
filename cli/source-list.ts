import { suggestion } from "./core/closest.ts";
import type { DuckmartConfig } from "./core/config-schema.ts";
import { DuckmartError } from "./core/errors.ts";
import { paymentSources, shopSources, type ShopSource } from "./core/source-names.ts";
import { splitList } from "./flag-values.ts";

type Flags = Record<string, unknown>;

/** The flags that only one shop source reads: given for another source, they are refused, not ignored. */
const sourceFlags: Record<string, ShopSource> = {
  seed: "sample",
  scale: "sample",
  "page-size": "dummyjson",
  concurrency: "dummyjson",
};

const usage = (message: string, hint: string) => new DuckmartError(message, { hint, exitCode: 2 });

/** `--source sample,stripe`: at most one shop source, plus the payments source. */
export function parseSourceFlag(value: unknown): { shop?: ShopSource; list: string[] } | undefined {
  if (value === undefined) return undefined;
  const list = splitList(value) ?? [];
  const known: readonly string[] = [...shopSources, ...paymentSources];
  const hint = `--source takes a comma list: one shop source (${shopSources.join(", ")}) and/or ${paymentSources.join(", ")}.`;
  if (!list.length) throw usage(`--source needs a value`, hint);
  for (const name of list)
    if (!known.includes(name))
      throw usage(`Unknown source "${name}" in --source: ${suggestion(name, known)}`, `${hint} Fix --source.`);
  const shops = list.filter((s): s is ShopSource => (shopSources as readonly string[]).includes(s));
  if (shops.length > 1)
    throw usage(`--source names two shop sources (${shops.join(", ")})`, `${hint} Land one shop at a time.`);
  return { shop: shops[0], list: [...new Set(list)] };
}

/**
 * What `extract` (and the extract step of `run`) lands: the sources named by --source, else the shop source
 * (`shopSource`: `run` passes the one the build will read, see chooseShopSource) plus Stripe when it has a key.
 * Refuses Stripe without a key, and source flags for a source not landed.
 */
export function landingSources(
  config: DuckmartConfig,
  args: Flags,
  extracts = true,
  shopSource: string = config.source,
): string[] {
  const requested = parseSourceFlag(args["source"])?.list;
  const sources = !extracts ? [] : (requested ?? defaultSources(config, shopSource));
  if (requested?.includes("stripe") && !config.stripe.apiKey)
    throw usage(
      "--source stripe needs a Stripe API key",
      "Set STRIPE_API_KEY (or stripe.apiKey in duckmart.config.ts), or leave stripe out of --source.",
    );
  if (!extracts && requested?.includes("stripe"))
    throw usage(
      "--source stripe has no effect: this run has no extract step",
      "Drop stripe from --source, or run extract.",
    );
  for (const [flag, owner] of Object.entries(sourceFlags))
    if (args[flag] !== undefined && !sources.includes(owner))
      throw usage(
        `--${flag} applies to the ${owner} source only, and this command lands ${sources.join(", ") || "nothing (no extract step)"}`,
        `Drop --${flag}, or add --source ${owner}.`,
      );
  return sources;
}

/** Without --source: the shop source, plus Stripe when it has a key. */
export function defaultSources(config: DuckmartConfig, shopSource: string = config.source): string[] {
  return [shopSource, ...(config.stripe.apiKey ? ["stripe"] : [])];
}
