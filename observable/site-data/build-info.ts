import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BuildManifest } from "../../cli/core/contracts/build-manifest.ts";

export interface SourceAge {
  source: string;
  extractedAt: string;
  /** Hours between the newest snapshot of the source that the build read and the site build. */
  ageHours: number;
}

export interface BuildInfo {
  buildId: string | null;
  shopSource: string;
  paymentsSource: string;
  asOf: string;
  sources: SourceAge[];
  builtAt: string;
}

const readJson = <T>(path: string): T | null =>
  existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;

/** What every page footer says about the data: the build, its sources, as-of date and how old each source's data is. */
export function readBuildInfo(dataDir: string, buildDir: string | null, now = new Date()): BuildInfo {
  const dir = buildDir ?? currentBuildDir(dataDir);
  const build = dir ? readJson<BuildManifest>(join(dir, "build.json")) : null;
  const catalog = readJson<{ asOf?: string; source?: string }>(join(dir ?? dataDir, "catalog.json"));
  const newest = new Map<string, string>();
  for (const input of build?.inputs ?? []) {
    if (!input.extractedAt) continue;
    const seen = newest.get(input.source);
    if (!seen || seen < input.extractedAt) newest.set(input.source, input.extractedAt);
  }
  return {
    buildId: build?.buildId ?? null,
    shopSource: build?.shopSource ?? catalog?.source ?? "unknown",
    paymentsSource: build?.paymentsSource ?? "unknown",
    asOf: build?.asOf ?? catalog?.asOf ?? "",
    sources: [...newest].map(([source, extractedAt]) => ({
      source,
      extractedAt,
      ageHours: (now.getTime() - Date.parse(extractedAt)) / 3.6e6,
    })),
    builtAt: now.toISOString(),
  };
}

function currentBuildDir(dataDir: string): string | null {
  const pointer = readJson<{ buildId?: string }>(join(dataDir, "builds", "current.json"));
  return pointer?.buildId ? join(dataDir, "builds", pointer.buildId) : null;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const minute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function age(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * Where the footer goes in the site shell (Framework's build of the pages, made once per version of the code):
 * each site build stamps its own footer there (observable/site-shell.ts).
 */
export const footerMarker = "<!--duckmart:build-info-->";

/** The footer HTML of every page. */
export function buildInfoFooter(info: BuildInfo): string {
  const payments = info.paymentsSource === "none" ? "none configured" : escape(info.paymentsSource);
  const ages = info.sources.length
    ? info.sources
        .map((s) => `${escape(s.source)} extracted ${minute(s.extractedAt)} (${age(s.ageHours)} before this site)`)
        .join(", ")
    : "no snapshots recorded";
  return [
    `<span class="duckmart-build build-info" data-build-id="${escape(info.buildId ?? "")}" data-as-of="${escape(info.asOf)}">`,
    `Build <code id="build-id">${escape(info.buildId ?? "none")}</code> · shop source ${escape(info.shopSource)}`,
    ` · payments ${payments} · as of ${escape(info.asOf)} · data: ${ages} · site built ${minute(info.builtAt)}.</span>`,
    ` Revenue counts completed orders after discount.`,
  ].join("");
}
