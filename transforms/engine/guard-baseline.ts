import type { LakePaths } from "../../cli/core/paths.ts";
import { listBuilds, type BuildManifest, type GuardBaselineRecord } from "../../cli/core/contracts/build-manifest.ts";

/** A forward move of the as-of by at most this many days is a comparable build (daily runs, a missed week). */
export const comparableAsOfDays = 7;

export interface GuardBaseline {
  /** The build the guards compare with; absent when there is none of the same sources. */
  build?: BuildManifest;
  record: GuardBaselineRecord;
}

/** What a new build is: its as-of (and who set it) and its sources. */
export interface GuardSubject {
  asOf: string;
  asOfSetBy?: string;
  shopSource: string;
  paymentsSource: string;
}

/**
 * The build the row-count guards compare a new build with. Row counts depend on the as-of (30-day windows, one
 * row per day, history up to that day), so only a build of the same shop and payments sources that was current
 * at some point, and of a comparable as-of, is a baseline for "shrank by more than max_shrink_pct": the newest
 * one of the same as-of (a rebuild, a replay of that day); else the latest comparable earlier one, where an
 * earlier as-of is comparable when it is at most `comparableAsOfDays` before or when neither as-of was set by
 * hand (the as-of moved with the data: today, a files export's newest order); else, when neither was set by hand,
 * the latest later one (the data went back: an older or truncated export). A deliberate as-of beyond that
 * (`--as-of` far later, a replay of an old day, an export rebuilt at its own date after a later `--as-of`) has no
 * shrink baseline: the latest build of the same sources still catches a mart that comes out empty.
 */
export async function guardBaseline(
  paths: LakePaths,
  subject: GuardSubject,
  currentId: string | undefined,
): Promise<GuardBaseline> {
  const candidates = (await listBuilds(paths)).filter(
    (b) =>
      (b.promotedAt !== undefined || b.buildId === currentId) &&
      b.status !== "failed" &&
      b.shopSource === subject.shopSource &&
      b.paymentsSource === subject.paymentsSource,
  );
  const same = candidates.find((b) => b.asOf === subject.asOf);
  if (same) return compared(same, same.buildId === currentId ? "the current build, same as-of" : "same as-of");
  const byData = (b: BuildManifest) => !b.asOfSetBy && !subject.asOfSetBy;
  const earlier = latest(
    candidates.filter(
      (b) => b.asOf < subject.asOf && (daysBetween(b.asOf, subject.asOf) <= comparableAsOfDays || byData(b)),
    ),
  );
  if (earlier) return compared(earlier, `as-of ${daysBetween(earlier.asOf, subject.asOf)} day(s) earlier`);
  const later = latest(candidates.filter((b) => b.asOf > subject.asOf && byData(b)));
  if (later) return compared(later, `as-of ${daysBetween(subject.asOf, later.asOf)} day(s) later; the data went back`);
  const newest = candidates.find((b) => b.buildId === currentId) ?? candidates[0];
  if (!newest) return { record: { shrink: false, reason: "no earlier build of these sources" } };
  const setBy = [subject.asOfSetBy, newest.asOfSetBy]
    .map((by, i) => (by ? `${i ? `that one's` : "this as-of"} was set by ${by}` : ""))
    .filter(Boolean)
    .join(", ");
  return {
    build: newest,
    record: {
      buildId: newest.buildId,
      asOf: newest.asOf,
      shrink: false,
      reason: `no build of these sources as of ${subject.asOf} or up to ${comparableAsOfDays} days before it; the latest is as of ${newest.asOf} (${setBy}): row counts at another as-of differ by the reporting windows and history, so only emptiness is checked`,
    },
  };
}

/** The build with the latest as-of (the newest build among equals: `builds` are newest first). */
function latest(builds: BuildManifest[]): BuildManifest | undefined {
  return builds.reduce<BuildManifest | undefined>((best, b) => (!best || b.asOf > best.asOf ? b : best), undefined);
}

function compared(build: BuildManifest, reason: string): GuardBaseline {
  return { build, record: { buildId: build.buildId, asOf: build.asOf, shrink: true, reason } };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
