import type { TimelineEntry } from './sandboxReport.ts';

const MARKS: Readonly<Record<TimelineEntry['kind'], string>> = {
  state: ' ',
  retry: '↻',
  failure: '✗',
  weights: '▶',
  health: '♥',
  alarm: '!',
  operator: '✋',
  fault: '⚡',
  outcome: '■',
  violation: '‼',
};

/** `hh:mm:ss` of virtual milliseconds. */
export function formatVirtualTime(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/** One timeline entry as a line of the live timeline: virtual time, service, a mark, the label and the text. */
export function renderTimelineEntry(entry: TimelineEntry, serviceWidth = entry.service.length): string {
  return `${formatVirtualTime(entry.atMs)}  ${entry.service.padEnd(serviceWidth)}  ${MARKS[entry.kind]} ${entry.label.padEnd(14)} ${entry.text}`;
}
