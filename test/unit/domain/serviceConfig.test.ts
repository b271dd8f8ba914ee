import { describe, expect, it } from 'vitest';
import { InvalidServiceConfig } from '../../../lambdas/domain/errors.ts';
import { DEFAULT_STEPS, parseServiceConfig, serviceConfigParameterName } from '../../../lambdas/domain/serviceConfig.ts';

const NAME = '/cutover/prod/services/web';
const tg = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const valid = {
  cluster: 'prod',
  containerName: 'web',
  blue: { serviceName: 'web-blue', targetGroupArn: tg('web-blue') },
  green: { serviceName: 'web-green', targetGroupArn: tg('web-green') },
  productionListenerRuleArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
  alarmNames: ['web-5xx'],
};
const parse = (value: unknown) => parseServiceConfig(NAME, JSON.stringify(value));
const failureOf = (value: unknown): InvalidServiceConfig => {
  try {
    parse(value);
  } catch (error) {
    return error as InvalidServiceConfig;
  }
  throw new Error('expected the configuration to be rejected');
};

describe('Function: parseServiceConfig', () => {
  it('fills the documented defaults', () => {
    // Act
    const config = parse(valid);

    // Assess
    expect(config.strategy.steps).toEqual(DEFAULT_STEPS);
    expect(config).toMatchObject({ readyTimeoutSeconds: 600, terminationWaitSeconds: 300, maxManualPauseSeconds: 86_400 });
    expect(config).toMatchObject({ triggers: [], onBusy: 'queue' });
  });

  it('accepts triggers and onBusy reject', () => {
    // Act
    const config = parse({ ...valid, triggers: [{ repository: 'team/web', tagPattern: 'main-*' }], onBusy: 'reject' });

    // Assess
    expect(config.triggers).toEqual([{ repository: 'team/web', tagPattern: 'main-*' }]);
    expect(config.onBusy).toBe('reject');
  });

  it.each([
    ['a trigger repository with a tag', { triggers: [{ repository: 'web:v1', tagPattern: '*' }] }, 'triggers.0.repository'],
    ['a tag pattern with a regular expression', { triggers: [{ repository: 'web', tagPattern: 'v[0-9]+' }] }, 'triggers.0.tagPattern'],
    ['a trigger with an unknown field', { triggers: [{ repository: 'web', tagPattern: '*', branch: 'main' }] }, 'triggers.0'],
    ['an unknown onBusy', { onBusy: 'wait' }, 'onBusy'],
  ])('rejects %s naming the field', (_label, change, field) => {
    // Act
    const error = failureOf({ ...valid, ...change });

    // Assess
    expect(error.name).toBe('InvalidServiceConfig');
    expect(error.message).toContain(field);
  });

  it('accepts promotionRepositories as full ECR repository URIs only, and no unknown promotion field', () => {
    // Prepare
    const uri = '210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/web';

    // Act & Assess
    expect(parse({ ...valid, promotionRepositories: [uri] }).promotionRepositories).toEqual([uri]);
    expect(parse(valid).promotionRepositories).toBeUndefined();
    expect(failureOf({ ...valid, promotionRepositories: ['team/web'] }).message).toContain('promotionRepositories.0');
    expect(failureOf({ ...valid, promotionRepositories: [`${uri}:latest`] }).message).toContain('promotionRepositories.0');
    expect(failureOf({ ...valid, promotionRepositories: [] }).message).toContain('promotionRepositories');
    expect(failureOf({ ...valid, promotionRepository: uri }).name).toBe('InvalidServiceConfig');
  });

  it('rejects text that is not JSON with InvalidServiceConfig naming the parameter', () => {
    // Act
    const act = () => parseServiceConfig(NAME, '{cluster:');

    // Assess
    expect(act).toThrow(InvalidServiceConfig);
    expect(act).toThrow(`${NAME} is not valid JSON`);
  });

  it.each([
    [{ ...valid, cluster: undefined }, 'cluster'],
    [{ ...valid, blue: { ...valid.blue, targetGroupArn: 'web-blue' } }, 'blue.targetGroupArn: must be a target group ARN'],
    [{ ...valid, productionListenerRuleArn: tg('x') }, 'productionListenerRuleArn: must be an ALB listener rule ARN'],
    [{ ...valid, alarmNames: [] }, 'alarmNames: must name at least one alarm'],
    [{ ...valid, green: valid.blue }, 'green.serviceName: must differ from blue.serviceName'],
    [{ ...valid, readyTimeoutSeconds: 5 }, 'readyTimeoutSeconds'],
    [{ ...valid, alarmName: ['typo'] }, 'Unrecognized key'],
    [{ ...valid, strategy: { steps: [{ pause: { durationSeconds: 60 } }, { setWeight: 10 }] } }, 'strategy.steps.0.pause: a pause must follow a setWeight step'],
    [{ ...valid, strategy: { steps: [{ setWeight: 50 }, { setWeight: 20 }] } }, 'strategy.steps.1.setWeight: must be greater than the previous weight 50'],
    [{ ...valid, strategy: { steps: [{ setWeight: 150 }] } }, 'strategy.steps.0'],
    [{ ...valid, strategy: { steps: [{ setWeight: 10, pause: {} }] } }, 'strategy.steps.0'],
  ])('rejects an invalid field and names it (%#)', (value, field) => {
    // Act
    const error = failureOf(value);

    // Assess
    expect(error.name).toBe('InvalidServiceConfig');
    expect(error.message).toContain(NAME);
    expect(error.message).toContain(field);
  });

  it('accepts a manual pause and a strategy that stops short of 100 %', () => {
    // Act
    const config = parse({ ...valid, strategy: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] } });

    // Assess
    expect(config.strategy.steps).toEqual([{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }]);
  });
});

describe('Function: serviceConfigParameterName', () => {
  it('places a service under its environment', () => {
    // Act & Assess
    expect(serviceConfigParameterName('prod', 'web')).toBe('/cutover/prod/services/web');
  });
});
