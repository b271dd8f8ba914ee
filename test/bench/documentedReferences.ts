/** A quoted, documented fact with the page it comes from. */
export interface DocumentedFact {
  readonly text: string;
  readonly source: string;
}

/**
 * How the alternatives react to a failing canary, in the words of their documentation. Quoted here, never measured:
 * the report prints them beside cutover's measured reaction.
 */
export const alternativeReactions: Readonly<Record<string, readonly DocumentedFact[]>> = {
  'CloudWatch alarms (all of them)': [
    {
      text: 'An alarm reaches ALARM only after its evaluation window: Period × EvaluationPeriods (DatapointsToAlarm of them breaching). Period is 10, 20, 30 s or a multiple of 60 s; sub-minute periods need high-resolution metrics, so a standard metric such as ALB 5xx counts reacts after at least 60 s × EvaluationPeriods. This delay is the same for every controller below and for cutover.',
      source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
    },
    {
      text: 'Alarms with a 10 s or 30 s period are evaluated every 10 seconds; others once per period.',
      source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
    },
  ],
  'CodeDeploy (ECS blue/green)': [
    {
      text: "CodeDeploy polls the deployment group's CloudWatch alarms (its AlarmConfiguration has IgnorePollAlarmFailure: whether to continue when the alarm state cannot be polled); the documentation gives no polling interval. The rollback is a new deployment that reroutes traffic back to the original task set.",
      source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-codedeploy-deploymentgroup-alarmconfiguration.html',
    },
  ],
  'ECS deployment alarms (rolling update / ECS blue/green)': [
    {
      text: 'ECS monitors the alarms during the deployment and a bake time afterwards; "Amazon ECS computes this time period based on the alarm configuration associated with the deployment. You can\'t set this value." No polling interval is documented; on ALARM the deployment is marked FAILED and, with rollback, a new deployment of the last completed revision starts.',
      source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html',
    },
  ],
  'Argo Rollouts (analysis)': [
    {
      text: 'An AnalysisTemplate metric is measured every `interval`; the documented example queries Prometheus at a 5 minute interval and fails after failureLimit (3) failed measurements, so a bad canary is detected only at a measurement tick: up to one interval late, and (failureLimit + 1) intervals with that example. A failed analysis aborts the rollout and sets the canary weight back to zero.',
      source: 'https://argoproj.github.io/argo-rollouts/features/analysis/',
    },
  ],
};

/** A documented token-bucket throttling rate of an API category (per account and Region). */
export interface ThrottlingRate {
  /** The operations the bucket covers, as the sandbox names them. */
  readonly operations: readonly string[];
  readonly category: string;
  /** Bucket maximum capacity: requests allowed in any one second. */
  readonly burstPerSecond: number;
  /** Bucket refill rate: requests per second sustained. */
  readonly sustainedPerSecond: number;
  readonly source: string;
}

/** The documented throttling rates of the ECS and ELBv2 APIs a release calls. */
export const throttlingRates: readonly ThrottlingRate[] = [
  { category: 'ECS service read', operations: ['DescribeServices'], burstPerSecond: 100, sustainedPerSecond: 20, source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html' },
  { category: 'ECS service modify', operations: ['UpdateService'], burstPerSecond: 50, sustainedPerSecond: 5, source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html' },
  { category: 'ECS task definition read', operations: ['DescribeTaskDefinition'], burstPerSecond: 50, sustainedPerSecond: 20, source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html' },
  { category: 'ECS task definition modify', operations: ['RegisterTaskDefinition'], burstPerSecond: 20, sustainedPerSecond: 1, source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html' },
  { category: 'ELBv2 non-mutating (Describe*)', operations: ['DescribeRules', 'DescribeTargetHealth'], burstPerSecond: 40, sustainedPerSecond: 10, source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html' },
];
