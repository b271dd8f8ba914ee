import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import type { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import type { ExampleService } from '../../sandbox/account/seedExampleService.ts';

/**
 * Installs the simulated account for the file's tests (handlers' logs silenced), resets it before each test and then
 * calls `onEach` (e.g. to make a fresh LocalRunner), and uninstalls it after the file.
 */
export function useSimulatedAccount(account: SimulatedAccount, onEach: () => void = () => undefined): void {
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    account.install();
  });
  afterAll(() => {
    account.uninstall();
  });
  beforeEach(() => {
    account.reset();
    onEach();
  });
}

/** The ModifyRule calls that changed the example service's production rule. */
export function productionModifyRules(account: SimulatedAccount, example: ExampleService): readonly AwsCall[] {
  return account.calls('ModifyRule').filter((call) => call.error === undefined && call.input.RuleArn === example.productionListenerRuleArn);
}

/** The example service's ledger records, as stored. */
export function ledgerRecordsOf(account: SimulatedAccount, example: ExampleService): readonly Record<string, unknown>[] {
  return account.dynamodb.documents(account.tableName, `RELEASE#${example.environment}#${example.service}`);
}

/** The example service's lock item, if held. */
export function lockOf(account: SimulatedAccount, example: ExampleService): Record<string, unknown> | undefined {
  return account.dynamodb.documents(account.tableName, `LOCK#${example.environment}#${example.service}`)[0];
}

/**
 * Asserts that a release of the example service ended Failed before any production traffic moved: no production
 * ModifyRule, green back at 0, blue still at its 2 tasks, one ledger record Failed, the lock free.
 */
export function expectFailedWithoutTrafficChange(account: SimulatedAccount, example: ExampleService): void {
  expect(productionModifyRules(account, example)).toEqual([]);
  expect(account.ecs.describe(example.green.serviceName).desiredCount).toBe(0);
  expect(account.ecs.describe(example.blue.serviceName).desiredCount).toBe(2);
  expect(ledgerRecordsOf(account, example).map((record) => record.outcome)).toEqual(['Failed']);
  expect(lockOf(account, example)).toBeUndefined();
}
