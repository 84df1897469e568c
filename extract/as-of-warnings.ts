import { asOfSetting, configOrigin } from "../cli/core/config.ts";
import { utcToday as today } from "../cli/core/today.ts";
import type { ExtractContext, Source, SourceSummary } from "./source.ts";

/**
 * Before extracting: an as-of after today (a typo, or a clock or time zone mix-up) lands data as of a day that has
 * not come yet; a live API extracted for another day records today's data.
 */
export function warnBeforeExtract(context: ExtractContext, sources: Source[]): void {
  const { config, logger } = context;
  const day = today();
  // Without an as-of, a files export lands as of its newest order date, the other sources as of today.
  const fallback = sources.some((s) => s.name === "files")
    ? "the export's newest order date (the files source's default)"
    : "today";
  if (config.asOf > day)
    logger.warn(
      `${asOfSetting(config)} ${config.asOf} is after today (${day}, UTC): the data lands as of a day that has not come yet (raw retention counts back from today at the latest, not from ${config.asOf}). Leave out ${asOfSetting(config)} to extract as of ${fallback}.`,
    );
  for (const source of sources)
    if (source.live && config.asOf !== day)
      logger.warn(
        `${source.name} is a live API: extracting it for as-of ${config.asOf} (today is ${day}) records today's data as ${config.asOf}. History and replays follow the as-of day.`,
      );
}

/**
 * After landing: a source that chose its own as-of (the files source: the newest order date) and chose a day after
 * today. Usually dates read the wrong way round (a day-first file read month-first) or dates in the future.
 */
export function warnFutureLanded(context: ExtractContext, summaries: SourceSummary[]): void {
  const { config, logger } = context;
  const day = today();
  if (configOrigin(config, "asOf") !== "default") return;
  for (const summary of summaries) {
    const asOf = summary.landed.map((l) => l.asOf).find((a) => a > day);
    if (asOf)
      logger.warn(
        `${summary.source}: the as-of ${asOf} (the newest order date) is after today (${day}, UTC): check the dates in the file (day-first dates need files.orderLines.dateFormat, e.g. "%d/%m/%Y"), or set the as-of with --as-of.`,
      );
  }
}
