/**
 * AWS list prices (us-east-1, on-demand, no free tier) that turn measured counts into dollars. Inputs, not
 * measurements: each carries the page it is quoted from, printed beside the figures it prices.
 */
export const awsListPrices = {
  /** Step Functions Standard workflows, per state transition ($0.025 per 1,000). */
  stateTransition: { usd: 0.025 / 1000, source: 'https://aws.amazon.com/step-functions/pricing/' },
  /** Lambda requests ($0.20 per 1M). */
  lambdaRequest: { usd: 0.2 / 1_000_000, source: 'https://aws.amazon.com/lambda/pricing/' },
  /** Lambda duration on Arm (the handlers' architecture), per GB-second. */
  lambdaGbSecondArm: { usd: 0.0000133334, source: 'https://aws.amazon.com/lambda/pricing/' },
  /** DynamoDB on-demand write request unit ($0.625 per million). */
  dynamoDbWriteRequestUnit: { usd: 0.625 / 1_000_000, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  /** DynamoDB on-demand read request unit ($0.125 per million). */
  dynamoDbReadRequestUnit: { usd: 0.125 / 1_000_000, source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  /** CloudWatch API requests such as DescribeAlarms ($0.01 per 1,000 requests). */
  cloudWatchApiRequest: { usd: 0.01 / 1000, source: 'https://aws.amazon.com/cloudwatch/pricing/' },
} as const;

/**
 * Operations that carry no per-request charge: the ECS, ELBv2 and ECR control-plane APIs, SSM GetParameter on
 * standard parameters (standard throughput), and the Step Functions task-token APIs.
 */
export const UNCHARGED_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeServices',
  'DescribeTaskDefinition',
  'RegisterTaskDefinition',
  'UpdateService',
  'DescribeRules',
  'DescribeTargetHealth',
  'ModifyRule',
  'DescribeImages',
  'GetParameter',
  'GetParametersByPath',
  'SendTaskSuccess',
  'SendTaskFailure',
  'SendTaskHeartbeat',
  'DescribeExecution',
  'StartExecution',
]);
