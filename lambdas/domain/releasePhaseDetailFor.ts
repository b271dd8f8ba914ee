import type { ReleaseContext, ReleaseState } from './releaseState.ts';
import { ReleasePhase, type ReleasePhaseDetail } from './releasePhaseEvent.ts';

/** The release handlers that announce a phase after they succeed. */
export const PhaseHandler = {
  Prepare: 'prepare',
  ShiftTraffic: 'shiftTraffic',
  RequestApproval: 'requestApproval',
  Bake: 'bake',
  Finalize: 'finalize',
  Rollback: 'rollback',
  FailRelease: 'failRelease',
  GateFailed: 'gateFailed',
} as const;
/** One announcing handler. */
export type PhaseHandlerValue = (typeof PhaseHandler)[keyof typeof PhaseHandler];

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const integer = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

function base(release: ReleaseContext | undefined, at: string): Omit<ReleasePhaseDetail, 'phase'> | undefined {
  if (!release || typeof release.releaseId !== 'string') return undefined;
  return { releaseId: release.releaseId, service: release.service, environment: release.environment, at, imageUri: release.image?.imageUri, requestedBy: release.requestedBy };
}

/**
 * The phase a release handler's success announces, from the handler's event and result: Started (prepare),
 * WeightChanged (shiftTraffic), WaitingForApproval (requestApproval, until the approval times out), WaitingForPromotion (bake of a manual pause, with a task token), Succeeded (finalize),
 * RolledBack (rollback, with the cause), Failed (failRelease, or gateFailed with the gate's error). `undefined` when
 * there is nothing to announce (a dry run, a timed bake, an alarm check, a Finalize whose post-promotion migration is
 * still to run, a shape it does not recognise): announcing never fails a release.
 */
export function releasePhaseDetailFor(handler: PhaseHandlerValue, event: unknown, result: unknown, now: Date): ReleasePhaseDetail | undefined {
  const at = now.toISOString();
  const output = record(result);
  switch (handler) {
    case PhaseHandler.Prepare: {
      // A dry run starts nothing.
      if (record(output.release).dryRun === true) return undefined;
      const common = base(output.release as ReleaseContext | undefined, at);
      return common && { ...common, phase: ReleasePhase.Started, weight: 0 };
    }
    case PhaseHandler.ShiftTraffic: {
      const common = base((event as ReleaseState | undefined)?.release, at);
      const weight = integer(output.weight);
      return common && weight !== undefined ? { ...common, phase: ReleasePhase.WeightChanged, weight, stepIndex: integer(output.index) } : undefined;
    }
    case PhaseHandler.RequestApproval: {
      const common = base((record(event).state as ReleaseState | undefined)?.release, at);
      const endsAt = text(output.expiresAt);
      return common && { ...common, phase: ReleasePhase.WaitingForApproval, weight: 0, ...(endsAt === undefined ? {} : { endsAt }) };
    }
    case PhaseHandler.Bake: {
      const bakeEvent = record(event);
      const state = bakeEvent.state as ReleaseState | undefined;
      const step = record(state?.step);
      if (text(bakeEvent.taskToken) === undefined || step.manual !== true) return undefined;
      const common = base(state?.release, at);
      return common && { ...common, phase: ReleasePhase.WaitingForPromotion, weight: integer(step.weight), stepIndex: integer(step.index) };
    }
    case PhaseHandler.Finalize: {
      // The first Finalize of a release with a post-promotion migration records nothing yet: CompleteRelease announces it.
      if (output.postPromotionMigrationPending === true) return undefined;
      const common = base((event as ReleaseState | undefined)?.release, at);
      const warning = text(output.warning)?.slice(0, 4000);
      return common && { ...common, phase: ReleasePhase.Succeeded, weight: 100, ...(warning === undefined ? {} : { warning }) };
    }
    case PhaseHandler.Rollback: {
      const common = base((event as ReleaseState | undefined)?.release, at);
      return common && { ...common, phase: ReleasePhase.RolledBack, weight: 0, cause: text(output.cause)?.slice(0, 4000) };
    }
    case PhaseHandler.GateFailed:
    case PhaseHandler.FailRelease: {
      const common = base((event as ReleaseState | undefined)?.release, at);
      return common && { ...common, phase: ReleasePhase.Failed, error: text(output.error)?.slice(0, 256), cause: text(output.cause)?.slice(0, 4000) };
    }
  }
}
