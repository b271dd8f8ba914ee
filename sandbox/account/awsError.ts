import { randomUUID } from 'node:crypto';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as lambda from '@aws-sdk/client-lambda';
import * as sfn from '@aws-sdk/client-sfn';
import * as ssm from '@aws-sdk/client-ssm';

/** The services the simulated account answers. */
export const AwsService = {
  Ssm: 'ssm',
  Elbv2: 'elbv2',
  Ecs: 'ecs',
  CloudWatch: 'cloudwatch',
  DynamoDb: 'dynamodb',
  Sfn: 'sfn',
  Ecr: 'ecr',
  Lambda: 'lambda',
} as const;

/** One of the simulated services. */
export type AwsServiceValue = (typeof AwsService)[keyof typeof AwsService];

type ExceptionClass = new (options: Record<string, unknown>) => Error;

/** Each client's module (its modeled exception classes) and its base service exception. */
const clientModules: Record<AwsServiceValue, { module: Record<string, unknown>; base: ExceptionClass }> = {
  ssm: { module: ssm, base: ssm.SSMServiceException as unknown as ExceptionClass },
  elbv2: { module: elbv2, base: elbv2.ElasticLoadBalancingV2ServiceException as unknown as ExceptionClass },
  ecs: { module: ecs, base: ecs.ECSServiceException as unknown as ExceptionClass },
  cloudwatch: { module: cloudwatch, base: cloudwatch.CloudWatchServiceException as unknown as ExceptionClass },
  dynamodb: { module: dynamodb, base: dynamodb.DynamoDBServiceException as unknown as ExceptionClass },
  sfn: { module: sfn, base: sfn.SFNServiceException as unknown as ExceptionClass },
  ecr: { module: ecr, base: ecr.ECRServiceException as unknown as ExceptionClass },
  lambda: { module: lambda, base: lambda.LambdaServiceException as unknown as ExceptionClass },
};

/** How an AWS error is raised. */
export interface AwsErrorOptions {
  /** Who is at fault. @default 'client' */
  readonly fault?: 'client' | 'server';
  /** Marks a throttling error the way the SDK's deserializer does (`$retryable: { throttling: true }`). */
  readonly throttling?: boolean;
  /** The HTTP status AWS answers with. @default 500 for server faults, 429 for throttling, else 400 */
  readonly httpStatusCode?: number;
  /** Further modeled fields, e.g. `CancellationReasons`. */
  readonly fields?: Record<string, unknown>;
}

/**
 * An error shaped like the one the SDK v3 client of `service` throws for the AWS error code `name`: an instance of the
 * client's modeled exception class when there is one (so `instanceof` works), else of its base service exception, with
 * `name`, `message`, `$fault` and `$metadata` set.
 */
export function awsError(service: AwsServiceValue, name: string, message: string, options: AwsErrorOptions = {}): Error {
  const { module, base } = clientModules[service];
  const fault = options.fault ?? 'client';
  const candidate = module[name];
  const modeled = typeof candidate === 'function' && candidate.prototype instanceof base ? (candidate as ExceptionClass) : undefined;
  const $metadata = {
    httpStatusCode: options.httpStatusCode ?? (fault === 'server' ? 500 : options.throttling === true ? 429 : 400),
    requestId: randomUUID(),
    attempts: 1,
    totalRetryDelay: 0,
  };
  const init = { name, $fault: fault, $metadata, message, Message: message, ...options.fields };
  const error = modeled === undefined ? new base(init) : new modeled(init);
  Object.assign(error, { name, $fault: fault, $metadata, ...options.fields });
  if (error.message !== message) Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true });
  if (options.throttling === true) Object.assign(error, { $retryable: { throttling: true } });
  return error;
}
