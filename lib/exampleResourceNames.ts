/** The names of the example service's resources in one environment: all start with `<environment>-`, as managedResources expects. */
export interface ExampleResourceNames {
  /** The service name cutover releases, the last segment of `/cutover/<environment>/services/<service>`. */
  readonly service: string;
  readonly clusterName: string;
  readonly taskDefinitionFamily: string;
  /** The ECR repository of the environment images enter through. */
  readonly repositoryName: string;
  readonly blueServiceName: string;
  readonly greenServiceName: string;
  readonly blueTargetGroupName: string;
  readonly greenTargetGroupName: string;
  readonly loadBalancerName: string;
  readonly errorRateAlarmName: string;
  readonly latencyAlarmName: string;
  readonly taskRoleName: string;
  readonly executionRoleName: string;
}

/** The example service's resource names in `environment` (at most 32 characters each for an environment name of 10). */
export function exampleResourceNames(environment: string): ExampleResourceNames {
  const base = `${environment}-example`;
  return {
    service: 'example',
    clusterName: base,
    taskDefinitionFamily: base,
    repositoryName: base,
    blueServiceName: `${base}-blue`,
    greenServiceName: `${base}-green`,
    blueTargetGroupName: `${base}-blue`,
    greenTargetGroupName: `${base}-green`,
    loadBalancerName: base,
    errorRateAlarmName: `${base}-5xx-rate`,
    latencyAlarmName: `${base}-p99-latency`,
    taskRoleName: `${base}-task`,
    executionRoleName: `${base}-execution`,
  };
}
