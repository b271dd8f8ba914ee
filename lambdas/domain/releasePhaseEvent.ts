import * as z from 'zod';

/** The phases a release announces (EventBridge `detail.phase`). */
export const ReleasePhase = {
  Started: 'Started',
  WeightChanged: 'WeightChanged',
  WaitingForApproval: 'WaitingForApproval',
  WaitingForPromotion: 'WaitingForPromotion',
  Succeeded: 'Succeeded',
  RolledBack: 'RolledBack',
  Failed: 'Failed',
} as const;
/** One announced phase. */
export type ReleasePhaseValue = (typeof ReleasePhase)[keyof typeof ReleasePhase];

/** The EventBridge `source` and `detail-type` of a phase change. */
export const RELEASE_PHASE_EVENT = { source: 'cutover', detailType: 'Release Phase Changed' } as const;

/** The `detail` of a `Release Phase Changed` event. */
export const releasePhaseDetailSchema = z.object({
  phase: z.enum(Object.values(ReleasePhase) as [ReleasePhaseValue, ...ReleasePhaseValue[]]),
  releaseId: z.string().min(1).max(128),
  service: z.string().min(1).max(64),
  environment: z.string().min(1).max(64),
  /** When the phase was reached (ISO 8601). */
  at: z.string().max(64),
  imageUri: z.string().max(1024).optional(),
  requestedBy: z.string().max(256).optional(),
  /** Percent of traffic on the new colour (WeightChanged, WaitingForPromotion). */
  weight: z.number().int().min(0).max(100).optional(),
  /** Index of the traffic phase (WeightChanged, WaitingForPromotion). */
  stepIndex: z.number().int().min(0).optional(),
  /** Why the release rolled back or failed: the alarm or the error. */
  cause: z.string().max(4000).optional(),
  /** The error name of a failed release (a failed gate: MigrationFailed or SmokeTestFailed). */
  error: z.string().max(256).optional(),
  /** What a succeeded release still needs a human for (a failed post-promotion migration). */
  warning: z.string().max(4000).optional(),
  /** When a manual pause gives up and rolls back (WaitingForPromotion), or the approval times out and rejects (WaitingForApproval). */
  endsAt: z.string().max(64).optional(),
});

/** The `detail` of a `Release Phase Changed` event. */
export type ReleasePhaseDetail = z.infer<typeof releasePhaseDetailSchema>;
