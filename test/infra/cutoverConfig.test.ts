import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { CutoverConfigError, cutoverResourceNames, readCutoverConfig } from '../../lib/cutoverConfig.ts';

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
  it('reads the shipped cdk.json context as the dev environment with open name patterns', () => {
    expect(readCutoverConfig(contextOf(cdkJson.context))).toEqual({
      environment: 'dev',
      account: undefined,
      region: undefined,
      managedResources: {
        clusterNames: ['*'],
        serviceNamePrefix: '',
        taskDefinitionFamilyPrefix: '',
        loadBalancerNamePrefix: '',
        alarmNamePrefix: '',
        passRoleNames: ['*'],
      },
      monitoring: { alarmEmails: [], maxLockAgeHours: 24 },
    });
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
    expect(cutoverResourceNames('prod')).toEqual({ tableName: 'cutover-prod-releases', stateMachineName: 'cutover-prod-release' });
  });
});
