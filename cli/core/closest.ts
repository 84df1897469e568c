/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate a typo most likely meant: a prefix, or the nearest within a third of its length (at least 2). */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const prefixed = candidates.filter(
    (c) => Math.min(needle.length, c.length) >= 3 && (c.startsWith(needle) || needle.startsWith(c)),
  );
  if (prefixed.length === 1) return prefixed[0];
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(needle.length / 3)) ? best.candidate : undefined;
}

/** `did you mean "x"?` when a candidate is close, else the list of valid values. */
export function suggestion(input: string, candidates: readonly string[], format = (c: string) => `"${c}"`): string {
  const match = closest(input, candidates);
  return match ? `did you mean ${format(match)}?` : `use one of: ${candidates.map(format).join(", ")}`;
}
