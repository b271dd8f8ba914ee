import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { CutoverConfigError, cutoverResourceNames, readCutoverConfig, readCutoverEnvironments } from '../../lib/cutoverConfig.ts';

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
