import { formatVirtualTime } from './renderTimelineEntry.ts';
import type { TimelineEntry } from './sandboxReport.ts';

const WIDTH = 900;
const HEIGHT = 360;
const MARGIN = { left: 56, right: 24, top: 40, bottom: 72 };
const COLORS = { blue: '#1f6feb', green: '#2da44e' } as const;
/** State entries drawn as phase changes. */
const PHASE_LABELS: ReadonlySet<string> = new Set(['DeployIdle', 'ShiftTraffic', 'Rollback', 'Finalize']);

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An SVG chart of one release's production traffic weights (blue and green, in %) over virtual time, with phase changes
 * as grey lines and alarms, operator actions and faults as red lines. A pure function of the timeline.
 * @param service the release to chart @default the service of the first entry
 */
export function renderWeightChart(timeline: readonly TimelineEntry[], service: string | undefined = timeline[0]?.service): string {
  const entries = timeline.filter((entry) => entry.service === service);
  const endMs = Math.max(1000, ...entries.map((entry) => entry.atMs));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number): number => MARGIN.left + (ms / endMs) * plotWidth;
  const y = (percent: number): number => MARGIN.top + plotHeight - (percent / 100) * plotHeight;
  const round = (value: number): string => value.toFixed(1);

  const samples = entries.flatMap((entry) => (entry.weights === undefined ? [] : [{ atMs: entry.atMs, weights: entry.weights }]));
  const series = (color: 'blue' | 'green'): string => {
    if (samples.length === 0) return '';
    const points: string[] = [];
    let previous: number | undefined;
    for (const sample of samples) {
      const weight = sample.weights[color];
      if (previous !== undefined) points.push(`${round(x(sample.atMs))},${round(y(previous))}`);
      points.push(`${round(x(sample.atMs))},${round(y(weight))}`);
      previous = weight;
    }
    if (previous !== undefined) points.push(`${round(x(endMs))},${round(y(previous))}`);
    return `<polyline fill="none" stroke="${COLORS[color]}" stroke-width="2.5" points="${points.join(' ')}"><title>${color} weight</title></polyline>`;
  };

  const markers = entries.flatMap((entry, index) => {
    const red = entry.kind === 'alarm' || entry.kind === 'operator' || entry.kind === 'fault' || entry.kind === 'violation';
    const phase = entry.kind === 'state' && PHASE_LABELS.has(entry.label);
    if (!red && !phase) return [];
    const position = round(x(entry.atMs));
    const color = red ? '#cf222e' : '#8c959f';
    const labelY = red ? MARGIN.top - 8 : HEIGHT - MARGIN.bottom + 30 + (index % 2) * 12;
    return [
      `<g><line x1="${position}" y1="${MARGIN.top}" x2="${position}" y2="${HEIGHT - MARGIN.bottom}" stroke="${color}" stroke-dasharray="${red ? '4 2' : '2 3'}"/>` +
        `<text x="${position}" y="${labelY}" font-size="10" fill="${color}" text-anchor="middle">${escapeXml(entry.label)}</text>` +
        `<title>${escapeXml(`${formatVirtualTime(entry.atMs)} ${entry.label}: ${entry.text}`)}</title></g>`,
    ];
  });

  const yTicks = [0, 25, 50, 75, 100].map(
    (percent) =>
      `<line x1="${MARGIN.left}" y1="${round(y(percent))}" x2="${WIDTH - MARGIN.right}" y2="${round(y(percent))}" stroke="#eaeef2"/>` +
      `<text x="${MARGIN.left - 8}" y="${round(y(percent) + 4)}" font-size="11" text-anchor="end">${percent} %</text>`,
  );
  const xTicks = Array.from({ length: 6 }, (_, index) => (endMs * index) / 5).map(
    (ms) => `<text x="${round(x(ms))}" y="${HEIGHT - MARGIN.bottom + 14}" font-size="11" text-anchor="middle">${formatVirtualTime(ms)}</text>`,
  );
  const title = `cutover sandbox: traffic weights of ${service ?? 'no release'} over virtual time`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...yTicks,
    ...xTicks,
    ...markers,
    series('blue'),
    series('green'),
    `<g font-size="11"><rect x="${WIDTH - 170}" y="${HEIGHT - 24}" width="10" height="10" fill="${COLORS.blue}"/><text x="${WIDTH - 155}" y="${HEIGHT - 15}">blue</text>` +
      `<rect x="${WIDTH - 115}" y="${HEIGHT - 24}" width="10" height="10" fill="${COLORS.green}"/><text x="${WIDTH - 100}" y="${HEIGHT - 15}">green</text></g>`,
    '</svg>',
    '',
  ].join('\n');
}
