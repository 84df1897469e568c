/** Today's date in UTC, as the as-of days are written (YYYY-MM-DD). */
export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}
