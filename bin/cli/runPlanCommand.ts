import type { ReleasePlan } from '../../lambdas/domain/describeReleasePlan.ts';
import { prepareRelease, type PrepareReleasePorts } from '../../lambdas/domain/prepareRelease.ts';
import type { ReleaseArgs } from './parseReleaseArgs.ts';

/** What `plan` found: the plan, printed as text or JSON. */
export interface PlanCommandResult {
  readonly exitCode: 0;
  readonly message: string;
  readonly details: { readonly plan: ReleasePlan };
}

/** The plan as an operator reads it. */
function planText(plan: ReleasePlan): string {
  return [
    `${plan.service} in ${plan.environment}: dry run of ${plan.imageUri} (${plan.liveColor} is live, ${plan.idleColor} is idle); nothing was changed`,
    ...(plan.lockHeldBy === undefined ? [] : [`note: release ${plan.lockHeldBy.releaseId} holds the lock since ${plan.lockHeldBy.acquiredAt}; a release now would queue or be rejected (onBusy)`]),
    'checked:',
    ...plan.checks.map((check) => `  - ${check}`),
    'steps:',
    ...plan.steps.map((step) => `  ${step}`),
    `on failure: ${plan.onFailure}`,
  ].join('\n');
}

/**
 * `plan`: runs Prepare's validation from the operator's machine through the same domain code as the Prepare Lambda,
 * as a dry run (`dryRun: true`): reads only, takes no lock, starts no execution. The state machine's ARN gives the
 * account and region an image repository name resolves in. Throws the release error Prepare would fail with.
 */
export async function runPlanCommand(args: ReleaseArgs, ports: PrepareReleasePorts, stateMachineArn: string, now: Date): Promise<PlanCommandResult> {
  if (args.image === undefined) throw new Error('plan needs an image');
  const executionName = `plan-${now.getTime()}`;
  const image = args.image.digest === undefined ? { repository: args.image.repository, tag: args.image.tag } : { repository: args.image.repository, digest: args.image.digest };
  const { plan } = await prepareRelease(
    {
      input: { service: args.service, environment: args.environment, image, requestedBy: args.actor, dryRun: true },
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`,
      executionName,
      startTime: now.toISOString(),
    },
    ports,
    now,
    { controlPlaneEnvironment: args.environment },
  );
  if (plan === undefined) throw new Error('Prepare returned no plan for a dry run');
  return { exitCode: 0, message: planText(plan), details: { plan } };
}
