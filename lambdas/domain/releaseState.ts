import type { ReleasePolicyState } from './checkReleasePolicy.ts';
import type { RuleActionLayout } from './ports.ts';
import type { MigrationConfig, SmokeTest, StrategyStep } from './serviceConfig.ts';

/** The two colours of a blue-green pair. */
export const Color = { Blue: 'blue', Green: 'green' } as const;
/** A colour. */
export type ColorValue = (typeof Color)[keyof typeof Color];

/** How a release ended, as the ledger records it. */
export const ReleaseOutcome = {
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  RolledBack: 'RolledBack',
  Failed: 'Failed',
} as const;
/** A release outcome. */
export type ReleaseOutcomeValue = (typeof ReleaseOutcome)[keyof typeof ReleaseOutcome];

/** One colour as the release found it in Prepare. */
export interface ColorSide {
  readonly color: ColorValue;
  /** The ECS service name. */
  readonly serviceName: string;
  /** The target group its tasks register in. */
  readonly targetGroupArn: string;
  /** The task definition the service ran when the release started. */
  readonly taskDefinitionArn: string;
  /** The desired count the service had when the release started. */
  readonly desiredCount: number;
}

/**
 * One traffic phase of the plan: set the weight, then bake.
 * Built from the strategy steps by `planTraffic`: each `setWeight` and the pauses that follow it.
 */
export interface TrafficPhase {
  /** Percent of production traffic on the new colour. */
  readonly weight: number;
  /** Seconds to watch the alarms after the weight is set (0: check their current state once). */
  readonly bakeSeconds: number;
  /** True when the phase waits for an operator to promote (a `pause: {}`), bounded by `maxManualPauseSeconds`. */
  readonly manual: boolean;
}

/**
 * Everything the later states need, fixed by Prepare: a snapshot of the configuration and the live resources,
 * so that a configuration change during a release does not change the release.
 */
export interface ReleaseContext {
  /** The release id: the execution name. */
  readonly releaseId: string;
  /** The execution ARN (the lock holder). */
  readonly executionArn: string;
  readonly service: string;
  readonly environment: string;
  readonly image: {
    readonly repository: string;
    readonly digest: string;
    /** `repository@digest`, with the repository as a full URI. */
    readonly imageUri: string;
  };
  readonly requestedBy: string;
  /** When the execution started (ISO 8601). */
  readonly startedAt: string;
  /** The ledger record's sort key. */
  readonly ledgerSortKey: string;
  readonly cluster: string;
  readonly containerName: string;
  /** The colour that serves production now. */
  readonly stable: ColorSide;
  /** The colour the release deploys to. */
  readonly idle: ColorSide;
  readonly productionListenerRuleArn: string;
  /** Target group stickiness of the production rule's forward action, kept on every weight change. */
  readonly stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number };
  /** The production rule's other actions (authentication) and the forward's order, kept on every weight change. */
  readonly ruleLayout?: RuleActionLayout;
  readonly alarmNames: readonly string[];
  /** The steps the plan was built from (input override or configuration). */
  readonly steps: readonly StrategyStep[];
  readonly plan: readonly TrafficPhase[];
  readonly readyTimeoutSeconds: number;
  readonly maxManualPauseSeconds: number;
  /** The test listener rule, pointed at the idle colour before the smoke tests. */
  readonly testListenerRuleArn?: string;
  /** The migration run before any traffic moves. */
  readonly migration?: MigrationConfig;
  /** The migration run after the old colour is scaled down. */
  readonly postPromotionMigration?: MigrationConfig;
  /** Smoke tests against the test listener, run before any traffic moves. */
  readonly smokeTests?: readonly SmokeTest[];
  /** Present (true) only for a dry run: the state machine ends after Prepare with the plan. */
  readonly dryRun?: true;
  /** Where a promoted release comes from: the source environment and its release id. */
  readonly promotedFrom?: { readonly environment: string; readonly releaseId: string };
  /** For a promoted release: the service's `promotion` setting (`approval` makes AwaitApproval run). */
  readonly promotion?: 'auto' | 'approval';
  /** Present only for a rollback release: Build reuses this task definition instead of registering one. */
  readonly rollback?: RollbackContext;
}

/** What a rollback release goes back to (from the input's `rollbackTo`, checked by Prepare). */
export interface RollbackContext {
  /** The earlier release's task definition, run again as it is. */
  readonly taskDefinitionArn: string;
  /** The release whose task definition it is. */
  readonly fromReleaseId: string;
  /** The release being rolled back, when the request named it. */
  readonly rollbackOf?: string;
  readonly reason?: string;
}

/**
 * The gates between a ready idle colour and the first traffic shift: the release policy (its settings could not be
 * read, or a freeze refuses the release), the freeze wait, the approval, then the migration and the smoke tests.
 */
export const Gate = { Policy: 'policy', Freeze: 'freeze', Approval: 'approval', Migration: 'migration', SmokeTests: 'smokeTests' } as const;
/** A gate. */
export type GateValue = (typeof Gate)[keyof typeof Gate];

/** When a migration runs: before traffic moves (`pre`, expand) or after the old colour is scaled down (`post`, contract). */
export const MigrationPhase = { Pre: 'pre', Post: 'post' } as const;
/** A migration phase. */
export type MigrationPhaseValue = (typeof MigrationPhase)[keyof typeof MigrationPhase];

/** What a migration task reports (`$.migration`, `$.postPromotionMigration`). */
export interface MigrationResult {
  /** `Succeeded`: the task exited 0 in this release; `Skipped`: it already succeeded for this digest in this environment. */
  readonly outcome: 'Succeeded' | 'Skipped';
  readonly taskArn?: string;
  /** The release the migration ran in (this one, or an earlier release of the same digest). */
  readonly releaseId: string;
  readonly exitCode?: number;
}

/** Where the test listener pointed before PointTestListener moved it to the idle colour (`$.testListener`). */
export interface TestListenerState {
  readonly ruleArn: string;
  readonly previousTargetGroups: readonly { readonly targetGroupArn: string; readonly weight: number }[];
  readonly stickiness?: { readonly enabled: boolean; readonly durationSeconds?: number };
  readonly layout?: RuleActionLayout;
}

/** What ShiftTraffic reports for the phase it just applied (`$.step`). */
export interface StepState {
  /** Index of the applied phase in `plan`. */
  readonly index: number;
  readonly weight: number;
  readonly bakeSeconds: number;
  readonly manual: boolean;
  /** The bake task's timeout: `bakeSeconds`, or `maxManualPauseSeconds` for a manual phase. */
  readonly timeoutSeconds: number;
  /** True for the last phase (weight 100). */
  readonly last: boolean;
  /** Index of the next phase. */
  readonly nextIndex: number;
}

/** A Step Functions error caught by a `Catch` (`$.error`). */
export interface CaughtError {
  readonly Error: string;
  /** For Lambda errors, a JSON string with `errorType` and `errorMessage`; for task-token failures, the plain cause. */
  readonly Cause?: string;
}

/**
 * The execution state after Prepare: each Task reads the whole state and writes its result under its own key.
 * Keys after `release` are present only once their state has run.
 */
export interface ReleaseState {
  readonly release: ReleaseContext;
  /** Written by Build. */
  readonly build?: { readonly taskDefinitionArn: string };
  /** Written by DeployIdle. */
  readonly deploy?: { readonly readyDeadlineAt: string };
  /** Written by CheckIdleReady. */
  readonly ready?: { readonly ready: boolean; readonly detail: string; readonly waitSeconds?: number };
  /** Written by StartShifting and ShiftTraffic. */
  readonly step?: StepState | { readonly nextIndex: number };
  /** Written by a Catch. */
  readonly error?: CaughtError;
  /** Written by RunMigration. */
  readonly migration?: MigrationResult;
  /** Written by PointTestListener. */
  readonly testListener?: TestListenerState;
  /** Written by RunSmokeTests. */
  readonly smokeTests?: { readonly passed: readonly { readonly name: string; readonly status: number }[] };
  /** Written by the Pass state before GateFailed: which gate failed. */
  readonly gate?: { readonly name: GateValue };
  /** Written by CheckReleasePolicy. */
  readonly policy?: ReleasePolicyState;
  /** Written by AwaitApproval: the approver's answer. ChooseApproval does not wait for a second one when the policy is checked again. */
  readonly approval?: { readonly approvedBy: string; readonly approvedAt: string; readonly reason?: string };
  /** Written by RunPostPromotionMigration. */
  readonly postPromotionMigration?: MigrationResult;
  /** Written by RunPostPromotionMigration's Catch. */
  readonly postPromotionMigrationError?: CaughtError;
  /** Written by Finalize: traffic is at 100 % on the new colour and the old colour was scaled to 0. */
  readonly finalize?: { readonly taskDefinitionArn: string; readonly postPromotionMigrationPending?: boolean };
}

/** The input of the Prepare state: the raw execution input and the execution's identity. */
export interface PrepareEvent {
  /** The execution input, unvalidated. */
  readonly input: unknown;
  /** `$$.Execution.Id`. */
  readonly executionArn: string;
  /** `$$.Execution.Name`. */
  readonly executionName: string;
  /** `$$.Execution.StartTime`. */
  readonly startTime: string;
}

/** The payload of the Bake task: the state, and the task token when the bake waits (absent for a one-off alarm check). */
export interface BakeEvent {
  readonly taskToken?: string;
  /** The bake's timeout as the Bake task passes it along (`$.step.timeoutSeconds`); the bake reads the step instead. */
  readonly timeoutSeconds?: number;
  readonly state: ReleaseState;
}

/** The payload of the RunMigration and RunPostPromotionMigration tasks. */
export interface MigrationEvent {
  readonly taskToken: string;
  /** The task's timeout (`migration.timeoutSeconds`), as the task passes it along. */
  readonly timeoutSeconds?: number;
  readonly phase: MigrationPhaseValue;
  readonly state: ReleaseState;
}
