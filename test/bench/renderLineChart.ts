/** One line of a chart: its label and its points. */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** What {@link renderLineChart} draws. */
export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** A horizontal goal line, dashed red. */
  readonly goal?: { readonly y: number; readonly label: string };
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tidy = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 1 : 0));

/** A small SVG line chart (points joined, each labelled with its value), written by hand: no dependency. */
export function renderLineChart(spec: LineChartSpec): string {
  const width = 560;
  const height = 300;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  const xs = spec.series.flatMap((series) => series.points.map((point) => point.x));
  const ys = [...spec.series.flatMap((series) => series.points.map((point) => point.y)), spec.goal?.y ?? 0];
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = Math.max(...ys) * 1.15 || 1;
  const sx = (x: number): number => left + ((x - xMin) / (xMax - xMin || 1)) * (width - left - right);
  const sy = (y: number): number => height - bottom - (y / yMax) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(spec.title)}</text>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(top + height - bottom) / 2})">${escapeXml(spec.yLabel)}</text>`,
  ];
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${sx(x)}" y1="${height - bottom}" x2="${sx(x)}" y2="${height - bottom + 4}" stroke="#333"/>`, `<text x="${sx(x)}" y="${height - bottom + 16}" text-anchor="middle">${tidy(x)}</text>`);
  }
  for (let tick = 0; tick <= 4; tick++) {
    const y = (yMax / 4) * tick;
    parts.push(`<line x1="${left - 4}" y1="${sy(y)}" x2="${width - right}" y2="${sy(y)}" stroke="#eee"/>`, `<text x="${left - 6}" y="${sy(y) + 4}" text-anchor="end">${tidy(y)}</text>`);
  }
  if (spec.goal !== undefined) {
    parts.push(
      `<line x1="${left}" y1="${sy(spec.goal.y)}" x2="${width - right}" y2="${sy(spec.goal.y)}" stroke="#c62828" stroke-dasharray="6 4"/>`,
      `<text x="${width - right - 2}" y="${sy(spec.goal.y) - 4}" text-anchor="end" fill="#c62828">${escapeXml(spec.goal.label)}</text>`,
    );
  }
  spec.series.forEach((series, index) => {
    const path = series.points.map((point) => `${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    for (const point of series.points) {
      parts.push(`<circle cx="${sx(point.x).toFixed(1)}" cy="${sy(point.y).toFixed(1)}" r="3.5" fill="${series.color}"/>`, `<text x="${sx(point.x).toFixed(1)}" y="${(sy(point.y) - 8).toFixed(1)}" text-anchor="middle" fill="${series.color}">${tidy(point.y)}</text>`);
    }
    parts.push(`<rect x="${left + 10}" y="${top + index * 16}" width="10" height="10" fill="${series.color}"/>`, `<text x="${left + 24}" y="${top + index * 16 + 9}">${escapeXml(series.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
