import { describe, expect, it } from 'vitest';
import { renderWeightChart } from '../../sandbox/renderWeightChart.ts';
import type { TimelineEntry } from '../../sandbox/sandboxReport.ts';

const entry = (atMs: number, kind: TimelineEntry['kind'], label: string, weights?: { blue: number; green: number }): TimelineEntry => ({
  atMs,
  service: 'web',
  kind,
  label,
  text: `${label} at ${atMs}`,
  ...(weights === undefined ? {} : { weights }),
});

describe('Function: renderWeightChart', () => {
  const timeline: TimelineEntry[] = [
    entry(0, 'state', 'Prepare', { blue: 100, green: 0 }),
    entry(60_000, 'state', 'ShiftTraffic'),
    entry(60_000, 'weights', 'traffic', { blue: 90, green: 10 }),
    entry(150_000, 'alarm', 'alarm'),
    entry(151_000, 'weights', 'traffic', { blue: 100, green: 0 }),
    entry(200_000, 'outcome', 'RolledBack', { blue: 100, green: 0 }),
    { ...entry(100_000, 'weights', 'traffic', { blue: 0, green: 100 }), service: 'other' },
  ];

  it('draws each colour as a step line over virtual time', () => {
    // Act
    const svg = renderWeightChart(timeline);

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const green = /<polyline fill="none" stroke="#2da44e"[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ');
    // x runs from 56 (0 s) to 876 (200 s); y from 288 (0 %) to 40 (100 %).
    expect(green).toEqual(['56.0,288.0', '302.0,288.0', '302.0,263.2', '675.1,263.2', '675.1,288.0', '876.0,288.0', '876.0,288.0', '876.0,288.0']);
  });

  it('marks alarms in red and phase changes in grey, and leaves other services out', () => {
    // Act
    const svg = renderWeightChart(timeline);

    // Assess
    expect(svg).toMatch(/<line x1="671.0"[^>]*stroke="#cf222e"/);
    expect(svg).toMatch(/<line x1="302.0"[^>]*stroke="#8c959f"/);
    expect(svg).not.toContain('traffic at 100000');
    expect(svg).toContain('traffic weights of web');
  });
});
