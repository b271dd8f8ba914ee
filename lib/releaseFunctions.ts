/**
 * Which Lambda each `${...FunctionArn}` placeholder of `statemachines/release.asl.json` names.
 * Declared once: the CDK stack creates one function per entry and fills the placeholders with their ARNs,
 * and the local runner (sandbox/) binds the same placeholders to the same handler modules.
 */
export const releaseFunctions = {
  prepare: { placeholder: 'PrepareFunctionArn', entry: 'lambdas/handlers/prepare.ts' },
  build: { placeholder: 'BuildFunctionArn', entry: 'lambdas/handlers/build.ts' },
  deployIdle: { placeholder: 'DeployIdleFunctionArn', entry: 'lambdas/handlers/deployIdle.ts' },
  checkIdleReady: { placeholder: 'CheckIdleReadyFunctionArn', entry: 'lambdas/handlers/checkIdleReady.ts' },
  shiftTraffic: { placeholder: 'ShiftTrafficFunctionArn', entry: 'lambdas/handlers/shiftTraffic.ts' },
  bake: { placeholder: 'BakeFunctionArn', entry: 'lambdas/handlers/bake.ts' },
  finalize: { placeholder: 'FinalizeFunctionArn', entry: 'lambdas/handlers/finalize.ts' },
  rollback: { placeholder: 'RollbackFunctionArn', entry: 'lambdas/handlers/rollback.ts' },
  failRelease: { placeholder: 'FailReleaseFunctionArn', entry: 'lambdas/handlers/failRelease.ts' },
  runMigration: { placeholder: 'RunMigrationFunctionArn', entry: 'lambdas/handlers/runMigration.ts' },
  pointTestListener: { placeholder: 'PointTestListenerFunctionArn', entry: 'lambdas/handlers/pointTestListener.ts' },
  runSmokeTests: { placeholder: 'RunSmokeTestsFunctionArn', entry: 'lambdas/handlers/runSmokeTests.ts' },
  gateFailed: { placeholder: 'GateFailedFunctionArn', entry: 'lambdas/handlers/gateFailed.ts' },
  checkReleasePolicy: { placeholder: 'CheckReleasePolicyFunctionArn', entry: 'lambdas/handlers/checkReleasePolicy.ts' },
  requestApproval: { placeholder: 'RequestApprovalFunctionArn', entry: 'lambdas/handlers/requestApproval.ts' },
  awaitFreezeEnd: { placeholder: 'AwaitFreezeEndFunctionArn', entry: 'lambdas/handlers/awaitFreezeEnd.ts' },
} as const;

/** The key of a function that the release state machine invokes. */
export type ReleaseFunctionKey = keyof typeof releaseFunctions;

/** Functions outside the state machine, invoked by events. */
export const eventFunctions = {
  onAlarm: { entry: 'lambdas/handlers/onAlarm.ts' },
  onImagePushed: { entry: 'lambdas/handlers/onImagePushed.ts' },
  onTaskStopped: { entry: 'lambdas/handlers/onTaskStopped.ts' },
  onPromotion: { entry: 'lambdas/handlers/onPromotion.ts' },
} as const;

/** The path of the release state machine definition, relative to the project root. */
export const RELEASE_DEFINITION_PATH = 'statemachines/release.asl.json';
