import { readFileSync } from "node:fs";
import { writeJsonAtomic } from "./atomic.ts";
import type { DuckmartConfig } from "./config-schema.ts";
import { configOrigin } from "./config.ts";
import type { LakePaths } from "./paths.ts";

/** Why a build uses its shop source: named by flag/env/config, extracted last, or the default. */
export type ShopSourceOrigin = "configured" | "last extracted" | "default";

export interface ShopSourceChoice {
  source: string;
  origin: ShopSourceOrigin;
  /** A configured source that is not the one extracted last: the build says so (it is not silent). */
  lastExtracted?: string;
}

/** data/state/shop-source.json: the shop source extracted last (written by extract once it has published). */
export async function recordLastShopSource(paths: LakePaths, source: string, extractedAt: string): Promise<void> {
  await writeJsonAtomic(paths.state("shop-source"), { source, extractedAt });
}

export function lastShopSource(paths: LakePaths): string | undefined {
  try {
    return (JSON.parse(readFileSync(paths.state("shop-source"), "utf8")) as { source?: string }).source;
  } catch {
    return undefined;
  }
}

/** The shop source a build uses: the configured one when named explicitly, else the last extracted, else the default. */
export function chooseShopSource(config: DuckmartConfig, paths: LakePaths): ShopSourceChoice {
  // Named by a flag, env var, .env or duckmart.config.ts: that wins over the last extracted source.
  const last = lastShopSource(paths);
  if (configOrigin(config, "source") !== "default")
    return {
      source: config.source,
      origin: "configured",
      ...(last && last !== config.source ? { lastExtracted: last } : {}),
    };
  return last ? { source: last, origin: "last extracted" } : { source: config.source, origin: "default" };
}

const sourceSettings: Record<string, string> = {
  flag: "--source",
  env: "DUCKMART_SOURCE",
  ".env": "DUCKMART_SOURCE in .env",
  "duckmart.config.ts": "source in duckmart.config.ts",
};

/** One line saying which shop source a run uses and why: "Shop source: files (extracted last in this data dir; ...)". */
export function describeShopSource(choice: ShopSourceChoice, config: DuckmartConfig): string {
  const why =
    choice.origin === "configured"
      ? `configured: ${sourceSettings[configOrigin(config, "source")]}`
      : choice.origin === "last extracted"
        ? "extracted last in this data dir; --source or DUCKMART_SOURCE names another"
        : "the default: none configured and nothing extracted in this data dir yet";
  return `Shop source: ${choice.source} (${why})`;
}
