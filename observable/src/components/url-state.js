// Filters live in the URL query (?from=2026-10-01&to=2026-10-31&category=laptops, or ?range=30d):
// opening a link restores them, and a change rewrites the query without a reload (history.replaceState).
export function readParam(name) {
  return new URLSearchParams(location.search).get(name);
}

export function writeParams(patch) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(patch)) {
    if (value == null || value === "") params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
}
