/** What {@link renderBarChart} draws: one horizontal bar per item. */
export interface BarChartSpec {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly { readonly label: string; readonly value: number; readonly color?: string }[];
  /** A vertical goal line, dashed red. */
  readonly goal?: { readonly value: number; readonly label: string };
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small SVG horizontal bar chart, written by hand: no dependency. */
export function renderBarChart(spec: BarChartSpec): string {
  const width = 600;
  const left = 130;
  const right = 70;
  const top = 36;
  const rowHeight = 20;
  const height = top + spec.bars.length * rowHeight + 30;
  const max = Math.max(...spec.bars.map((bar) => bar.value), spec.goal?.value ?? 0) * 1.05 || 1;
  const sx = (value: number): number => left + (value / max) * (width - left - right);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  spec.bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    parts.push(
      `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${(sx(bar.value) - left).toFixed(1)}" height="${rowHeight - 6}" fill="${bar.color ?? '#1565c0'}"/>`,
      `<text x="${(sx(bar.value) + 4).toFixed(1)}" y="${y + 13}">${escapeXml(`${Number.isInteger(bar.value) ? bar.value : bar.value.toFixed(1)} ${spec.unit}`)}</text>`,
    );
  });
  if (spec.goal !== undefined) {
    const x = sx(spec.goal.value).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 24}" stroke="#c62828" stroke-dasharray="6 4"/>`,
      `<text x="${x}" y="${height - 10}" text-anchor="middle" fill="#c62828">${escapeXml(spec.goal.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
