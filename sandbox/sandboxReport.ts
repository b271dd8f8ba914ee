import type { InvariantViolation } from './InvariantMonitor.ts';

/** How a rehearsed release ended, as the ledger and a user see it. */
export type SandboxOutcome = 'Succeeded' | 'RolledBack' | 'Failed';

/** What a timeline entry is about. */
export type TimelineKind = 'state' | 'retry' | 'failure' | 'weights' | 'health' | 'alarm' | 'operator' | 'fault' | 'outcome' | 'violation';

/** One line of the timeline: something that happened to one release, at a virtual time. */
export interface TimelineEntry {
  /** Virtual milliseconds since the releases started. */
  readonly atMs: number;
  /** The service released. */
  readonly service: string;
  readonly kind: TimelineKind;
  /** A short label: the state's name, `traffic`, `targets`, `alarm`, … */
  readonly label: string;
  /** What happened, for a person. */
  readonly text: string;
  /** The production rule's weights after this entry (weights entries, and the first and last entries). */
  readonly weights?: { readonly blue: number; readonly green: number };
  /** The state entered, for state entries. */
  readonly stateName?: string;
}

/** The report of one release. */
export interface ReleaseReport {
  readonly service: string;
  /** The environment released into (the promotion scenario's releases differ only by it). @default - the sandbox's one environment */
  readonly environment?: string;
  readonly executionName: string;
  readonly outcome: SandboxOutcome;
  /** The execution's error and cause when it did not succeed. */
  readonly error?: string;
  readonly cause?: string;
  /** The colour that was live before the release. */
  readonly previousColor: 'blue' | 'green';
  /** The colour live at the end, from the production rule's weights. */
  readonly liveColor: 'blue' | 'green';
  /** The production rule's weights at the end. */
  readonly weights: { readonly blue: number; readonly green: number };
  /** Whether any weight ever moved to the new colour. */
  readonly trafficShifted: boolean;
  /** State transitions as Step Functions bills them: each state entered, each retry attempt. */
  readonly stateTransitions: number;
  /** State transitions from the alarm or abort event (or the start of Rollback) until the stable colour is back at 100; null without rollback. */
  readonly rollbackTransitions: number | null;
  /** Virtual seconds from the start of the execution to its end. */
  readonly releaseSeconds: number;
}

/** The machine-readable report of a sandbox run (`--json`). */
export interface SandboxReport {
  readonly scenario: string;
  /** The release's outcome; with several releases, the worst of them (Failed, then RolledBack, then Succeeded). */
  readonly outcome: SandboxOutcome;
  /** The outcome a user expects of this scenario. */
  readonly expectedOutcome: SandboxOutcome;
  /** Of the first release. */
  readonly previousColor: 'blue' | 'green';
  /** Of the first release. */
  readonly liveColor: 'blue' | 'green';
  /** Of the first release. */
  readonly weights: { readonly blue: number; readonly green: number };
  /** True when any release moved any weight to its new colour. */
  readonly trafficShifted: boolean;
  /** Summed over the releases. */
  readonly stateTransitions: number;
  /** The largest over the releases that rolled back; null when none did. */
  readonly rollbackTransitions: number | null;
  /** Every AWS call the account answered or refused, in total and by operation. */
  readonly awsCalls: { readonly total: number; readonly byOperation: Readonly<Record<string, number>> };
  readonly invariantViolations: readonly InvariantViolation[];
  /** Calls of one release that touched another release's resources (`--releases N`). */
  readonly crossTalk: readonly string[];
  /** Virtual seconds until the last release ended. */
  readonly releaseSeconds: number;
  /** Real milliseconds the rehearsal took. */
  readonly wallMs: number;
  readonly releases: readonly ReleaseReport[];
  readonly timeline: readonly TimelineEntry[];
}

const SEVERITY: Record<SandboxOutcome, number> = { Succeeded: 0, RolledBack: 1, Failed: 2 };

/** The worst of several outcomes: Failed, then RolledBack, then Succeeded. */
export function worstOutcome(outcomes: readonly SandboxOutcome[]): SandboxOutcome {
  return outcomes.reduce<SandboxOutcome>((worst, outcome) => (SEVERITY[outcome] > SEVERITY[worst] ? outcome : worst), 'Succeeded');
}
