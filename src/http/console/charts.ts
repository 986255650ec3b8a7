/**
 * A day-by-day bar chart as inline SVG (no script, no style attribute: the CSP allows neither).
 * Each bar carries its day and value as a tooltip and the figure is described for screen readers.
 */
import { type Html, html } from "./html";

const WIDTH = 300;
const HEIGHT = 110;
const TOP = 14;
const BOTTOM = 16;

/** "2026-12-01" → "01/12". */
function shortDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}`;
}

export function barChart(options: {
  id: string;
  title: string;
  days: readonly string[];
  values: readonly number[];
  /** Read aloud and shown under the chart: "1.234 in 30 days". */
  summary: string;
  formatNumber(n: number): string;
}): Html {
  const { days, values } = options;
  const max = Math.max(1, ...values);
  const plot = HEIGHT - TOP - BOTTOM;
  const step = WIDTH / Math.max(1, days.length);
  const barWidth = Math.max(1, step * 0.75);
  const bars = days.map((day, i) => {
    const value = values[i] ?? 0;
    const h = value === 0 ? 0 : Math.max(1, (value / max) * plot);
    const x = (i * step + (step - barWidth) / 2).toFixed(1);
    const y = (TOP + plot - h).toFixed(1);
    return html`<rect class="bar" x="${x}" y="${y}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${shortDay(day)}: ${options.formatNumber(value)}</title></rect>`;
  });
  const first = days[0] ?? "";
  const last = days.at(-1) ?? "";
  const base = TOP + plot;
  return html`<figure class="card chart" id="${options.id}">
  <figcaption><strong>${options.title}</strong> <span class="muted small">${options.summary}</span></figcaption>
  <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}: ${options.summary}">
    <line class="axis" x1="0" y1="${base}" x2="${WIDTH}" y2="${base}"/>
    <text x="0" y="10">${options.formatNumber(max === 1 && values.every((v) => v === 0) ? 0 : max)}</text>
    ${bars}
    <text x="0" y="${HEIGHT - 3}">${shortDay(first)}</text>
    <text x="${WIDTH}" y="${HEIGHT - 3}" text-anchor="end">${shortDay(last)}</text>
  </svg>
</figure>`;
}
