/**
 * Which Lambda each `${...FunctionArn}` placeholder of `statemachines/rollback.asl.json` names, and its other
 * placeholders. Declared once: the CDK stack (lib/RollbackStateMachine.ts) and the local runner (sandbox/) both read it.
 */
export const rollbackFunctions = {
  findRollbackTarget: { placeholder: 'FindRollbackTargetFunctionArn', entry: 'lambdas/handlers/findRollbackTarget.ts' },
} as const;

/** The key of a function that the rollback state machine invokes. */
export type RollbackFunctionKey = keyof typeof rollbackFunctions;

/** The placeholder that the release state machine's ARN fills in the rollback definition. */
export const RELEASE_STATE_MACHINE_ARN_PLACEHOLDER = 'ReleaseStateMachineArn';

/** The path of the rollback state machine definition, relative to the project root. */
export const ROLLBACK_DEFINITION_PATH = 'statemachines/rollback.asl.json';
