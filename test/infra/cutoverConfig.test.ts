import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { CutoverConfigError, cutoverResourceNames, lockAgeBounds, readCutoverConfig, readCutoverEnvironments } from '../../lib/cutoverConfig.ts';

/** A context reader over plain values, as `app.node.tryGetContext` would be. */
const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

const cutover = {
  defaultEnvironment: 'dev',
  environments: {
    dev: {},
    prod: {
      account: '123456789012',
      region: 'eu-west-1',
      managedResources: { clusterNames: ['apps'], serviceNamePrefix: 'shop-', passRoleNames: ['shop/*'] },
    },
  },
};

describe('Function: readCutoverConfig', () => {
  it('reads the shipped cdk.json context as the dev environment, narrowed to dev- names, promoting to staging', () => {
    // Act
    const config = readCutoverConfig(contextOf(cdkJson.context));

    // Assess
    expect(config).toMatchObject({
      environment: 'dev',
      managedResources: {
        clusterNames: ['dev-*'],
        serviceNamePrefix: 'dev-',
        taskDefinitionFamilyPrefix: 'dev-',
        loadBalancerNamePrefix: 'dev-',
        alarmNamePrefix: 'dev-',
        passRoleNames: ['dev-*'],
      },
      monitoring: { alarmEmails: [], maxLockAgeHours: 24 },
      promoteTo: { environment: 'staging' },
      promotedFrom: [],
    });
    expect(config.settings).toMatchObject({ requireApproval: false, freeze: { windows: [], dates: [] } });
  });

  it('reads the alarm emails and the lock age bound of the monitoring settings', () => {
    // Prepare
    const context = { cutover: { environments: { prod: { monitoring: { alarmEmails: ['ops@example.com'], maxLockAgeHours: 6 } } } }, environment: 'prod' };

    // Act
    const config = readCutoverConfig(contextOf(context));

    // Assess
    expect(config.monitoring).toEqual({ alarmEmails: ['ops@example.com'], maxLockAgeHours: 6 });
  });

  it('throws naming the field when the lock age bound is not a positive number of hours', () => {
    // Prepare
    const context = { cutover: { environments: { prod: { monitoring: { maxLockAgeHours: 0 } } } }, environment: 'prod' };

    // Act & Assess
    expect(() => readCutoverConfig(contextOf(context))).toThrow('cutover.environments.prod.monitoring.maxLockAgeHours');
  });

  it('derives the lock age bound from the time a release may sit parked at the freeze and approval gates (shipped prod: 72 + 24 + 24 h)', () => {
    // Act
    const prod = readCutoverConfig(contextOf({ ...cdkJson.context, environment: 'prod' }));
    const staging = readCutoverConfig(contextOf({ ...cdkJson.context, environment: 'staging' }));

    // Assess
    expect(prod.monitoring.maxLockAgeHours).toBe(72 + 24 + 24);
    // No freeze, no requireApproval, but promotions arrive: a service may ask for an approval on them.
    expect(staging.monitoring.maxLockAgeHours).toBe(24 + 24);
  });

  it('counts no freeze wait when the environment refuses during a freeze, and no approval when none can be asked for', () => {
    // Prepare
    const freeze = { windows: [{ from: { day: 'fri', time: '16:00' }, to: { day: 'mon', time: '06:00' } }], onFreeze: 'refuse', maxWaitSeconds: 7200 };
    const context = { cutover: { environments: { prod: { settings: { freeze, approvalTimeoutSeconds: 3600 } } } }, environment: 'prod' };

    // Act & Assess
    expect(lockAgeBounds(readCutoverConfig(contextOf(context)).settings, false)).toEqual({ freezeWaitHours: 0, approvalHours: 0, minimumHours: 1, defaultHours: 24 });
    expect(lockAgeBounds(readCutoverConfig(contextOf(context)).settings, true)).toEqual({ freezeWaitHours: 0, approvalHours: 1, minimumHours: 2, defaultHours: 25 });
  });

  it('refuses a lock age bound below the time a release may sit parked, naming the field, the parts and the least value', () => {
    // Prepare
    const settings = { requireApproval: true, approvalTimeoutSeconds: 7200, freeze: { dates: ['2025-12-25'], maxWaitSeconds: 36_000 } };
    const at = (maxLockAgeHours: number) => ({ cutover: { environments: { prod: { settings, monitoring: { maxLockAgeHours } } } }, environment: 'prod' });

    // Act & Assess
    expect(() => readCutoverConfig(contextOf(at(12)))).toThrow(CutoverConfigError);
    expect(() => readCutoverConfig(contextOf(at(12)))).toThrow(
      'cutover.environments.prod.monitoring.maxLockAgeHours is 12 h, less than a release of this environment may legitimately hold its lock: 10 h waiting at a freeze (settings.freeze.maxWaitSeconds) + 2 h awaiting an approval (settings.approvalTimeoutSeconds) + 1 h of releasing; lock-held-too-long would page for every parked release. Set at least 13, or leave it out (default 36)',
    );
    expect(readCutoverConfig(contextOf(at(13))).monitoring.maxLockAgeHours).toBe(13);
  });

  it('selects the environment given with -c environment', () => {
    // Act
    const config = readCutoverConfig(contextOf({ cutover, environment: 'prod' }));

    // Assess
    expect(config).toMatchObject({
      environment: 'prod',
      account: '123456789012',
      region: 'eu-west-1',
      managedResources: { clusterNames: ['apps'], serviceNamePrefix: 'shop-', alarmNamePrefix: '', passRoleNames: ['shop/*'] },
    });
  });

  it('throws naming the configured environments when the selected one is not configured', () => {
    expect(() => readCutoverConfig(contextOf({ cutover, environment: 'staging' }))).toThrow(
      new CutoverConfigError('environment "staging" is not configured; configured: dev, prod'),
    );
  });

  it('throws when the cutover context is missing', () => {
    expect(() => readCutoverConfig(contextOf({}))).toThrow(CutoverConfigError);
  });

  it('throws when a prefix contains a wildcard', () => {
    const widened = { ...cutover, environments: { dev: { managedResources: { serviceNamePrefix: 'shop-*' } } } };

    expect(() => readCutoverConfig(contextOf({ cutover: widened }))).toThrow('cutover.environments.dev.managedResources.serviceNamePrefix');
  });

  it('throws when the account is not a 12-digit id', () => {
    const invalid = { ...cutover, environments: { dev: { account: '1234' } } };

    expect(() => readCutoverConfig(contextOf({ cutover: invalid }))).toThrow('cutover.environments.dev.account');
  });
});

describe('Function: cutoverResourceNames', () => {
  it('names the table and the state machine after the environment', () => {
    expect(cutoverResourceNames('prod')).toEqual({
      tableName: 'cutover-prod-releases',
      stateMachineName: 'cutover-prod-release',
      promotionBusName: 'cutover-prod-promotions',
    });
  });
});

describe('Function: readCutoverEnvironments', () => {
  it('reads every environment of the shipped cdk.json: dev → staging → prod, approvals and freezes in prod only', () => {
    // Act
    const environments = readCutoverEnvironments(contextOf(cdkJson.context));

    // Assess
    expect(environments.map((config) => [config.environment, config.promoteTo?.environment, config.promotedFrom.map((peer) => peer.environment)])).toEqual([
      ['dev', 'staging', []],
      ['staging', 'prod', ['dev']],
      ['prod', undefined, ['staging']],
    ]);
    expect(environments.map((config) => config.settings.requireApproval)).toEqual([false, false, true]);
    expect(environments.map((config) => config.settings.freeze.windows.length > 0)).toEqual([false, false, true]);
  });

  it('reads only the environment given with -c environment', () => {
    expect(readCutoverEnvironments(contextOf({ ...cdkJson.context, environment: 'staging' })).map((config) => config.environment)).toEqual(['staging']);
  });

  it('carries the source environment account into the target environment for its bus policy', () => {
    // Prepare
    const context = { cutover: { environments: { dev: { account: '111111111111', promoteTo: 'prod' }, prod: { account: '222222222222' } } } };

    // Act
    const [, prod] = readCutoverEnvironments(contextOf(context));

    // Assess
    expect(prod?.promotedFrom).toEqual([{ environment: 'dev', account: '111111111111', region: undefined }]);
  });

  it('throws naming the field when promoteTo names an environment that is not configured', () => {
    const context = { cutover: { environments: { dev: { promoteTo: 'qa' } } } };

    expect(() => readCutoverEnvironments(contextOf(context))).toThrow('cutover.environments.dev.promoteTo');
  });

  it('throws naming the field when the settings break the schema', () => {
    const context = { cutover: { environments: { prod: { settings: { freeze: { windows: [{ from: { day: 'fri', time: '25:00' }, to: { day: 'mon', time: '06:00' } }] } } } } } };

    expect(() => readCutoverEnvironments(contextOf(context))).toThrow('cutover.environments.prod.settings is invalid: freeze.windows.0.from.time');
  });
});
