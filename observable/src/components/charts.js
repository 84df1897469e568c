// Chart helpers: every chart is drawn at its card's width (resize), with text >= 11 CSS px (style.css sets 12 px),
// day ticks on daily axes (never "12 AM / 12 PM"), truncated long labels and no overlapping text labels.

/** x options for a daily time axis of `days` days drawn `width` px wide: ticks on days, weeks or months. */
export function dayAxis(days, width) {
  const room = Math.max(2, Math.floor((width - 80) / 70));
  const ticks = days <= room ? "day" : days / 7 <= room ? "week" : days / 30 <= room ? "month" : "3 months";
  return { type: "utc", label: null, ticks, tickFormat: ticks === "day" || ticks === "week" ? "%b %-d" : "%b %Y" };
}

/** A label cut to fit: "Elegant Laptop Stand 123" -> "Elegant Laptop St…". */
export function truncate(text, max) {
  const s = String(text ?? "");
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

/** How many characters of a y-axis label fit in the left margin at 12 px. */
export const labelChars = (margin) => Math.max(6, Math.floor((margin - 10) / 7));

/** Left margin for band labels: about a third of the card, at most `max` px. */
export const bandMargin = (width, max = 200) => Math.round(Math.min(max, Math.max(90, width * 0.36)));

/**
 * Hide text labels (of marks with aria-label `label`, e.g. "text") that would overlap a label drawn before them: keeps the
 * first ones, so pass the data sorted by importance.
 */
export function declutter(figure, label) {
  const run = () => {
    const kept = [];
    for (const text of figure.querySelectorAll(`g[aria-label="${label}"] text`)) {
      const box = text.getBoundingClientRect();
      const hit = kept.some(
        (k) => box.left < k.right + 2 && box.right > k.left - 2 && box.top < k.bottom && box.bottom > k.top,
      );
      if (hit) text.setAttribute("display", "none");
      else kept.push(box);
    }
  };
  const wait = () => (figure.isConnected ? run() : requestAnimationFrame(wait));
  wait();
  return figure;
}
