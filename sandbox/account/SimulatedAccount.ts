import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as lambda from '@aws-sdk/client-lambda';
import * as sfn from '@aws-sdk/client-sfn';
import * as ssm from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { eventFunctions } from '../../lib/releaseFunctions.ts';
import { callContext } from '../callContext.ts';
import { invokeLambda, loadHandler, type LambdaHandler } from '../lambdaRuntime.ts';
import { awsError, type AwsServiceValue } from './awsError.ts';
import { CallLog, type AwsCall } from './CallLog.ts';
import { lowLevelRequestOf, type TranslateConfig } from './documentClientTranslation.ts';
import { SimulatedCloudWatch, type AlarmStateChangeEvent } from './SimulatedCloudWatch.ts';
import { SimulatedDynamoDb } from './SimulatedDynamoDb.ts';
import { SimulatedEcr } from './SimulatedEcr.ts';
import { SimulatedEcs, type DeploymentFaultValue, type EcsTimings, type TaskStateChangeEvent } from './SimulatedEcs.ts';
import { MIGRATION_STARTED_BY_PREFIX } from '../../lambdas/domain/migrationStartedBy.ts';
import { SimulatedElbv2 } from './SimulatedElbv2.ts';
import { SimulatedLambda, type SimulatedFunction } from './SimulatedLambda.ts';
import { SimulatedSsm } from './SimulatedSsm.ts';
import { SimulatedStepFunctions } from './SimulatedStepFunctions.ts';

/** Settings of a simulated account. */
export interface SimulatedAccountOptions {
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** The cutover table's name. @default 'cutover-sandbox-releases' */
  readonly tableName?: string;
  /** How fast ECS deployments and health checks move. */
  readonly ecs?: EcsTimings;
  /** Virtual milliseconds between an alarm's state change and EventBridge invoking onAlarm. @default 1000 */
  readonly eventDeliveryMs?: number;
  /** Virtual milliseconds between an asynchronous Lambda `Invoke` and the function running. @default 100 */
  readonly asyncInvokeDelayMs?: number;
}

/** An event-triggered function of the catalog (`eventFunctions` in lib/releaseFunctions.ts). */
export type EventFunctionKey = keyof typeof eventFunctions;

/** A fault to inject into the account. */
export type AccountFault =
  | { readonly kind: 'throttle'; readonly operation: string; readonly count: number; readonly errorName?: string }
  | { readonly kind: 'deployment'; readonly serviceName: string; readonly fault: DeploymentFaultValue }
  | { readonly kind: 'targetsNeverHealthy'; readonly targetGroupArn: string };

/** One asynchronous invocation (EventBridge → Lambda) the account made. */
export interface EventInvocation {
  readonly functionName: string;
  readonly event: unknown;
  /** Virtual time of the invocation. */
  readonly at: number;
  readonly result?: unknown;
  /** The error type when the function failed. */
  readonly error?: string;
  readonly errorMessage?: string;
}

interface ServiceBinding {
  readonly service: AwsServiceValue;
  readonly module: Record<string, unknown>;
  readonly clientClass: unknown;
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown>;
}

type Stub = { send: { callsFake(fn: (this: unknown, command: unknown) => unknown): unknown }; restore(): void };

/**
 * A stateful simulated AWS account answering the real SDK v3 commands cutover's handlers send: SSM, ELBv2, ECS,
 * CloudWatch (with EventBridge delivery of alarm state changes to the real onAlarm handler), DynamoDB and Step
 * Functions. {@link install} intercepts every client class with aws-sdk-client-mock, so clients created anywhere
 * (the handlers' module scope included) talk to this account. Every call is recorded with its virtual time.
 */
export class SimulatedAccount {
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  readonly log = new CallLog();
  readonly ssm: SimulatedSsm;
  readonly ecs: SimulatedEcs;
  readonly elbv2: SimulatedElbv2;
  readonly cloudwatch: SimulatedCloudWatch;
  readonly dynamodb: SimulatedDynamoDb;
  readonly sfn: SimulatedStepFunctions;
  readonly ecr: SimulatedEcr;
  readonly lambda: SimulatedLambda;
  /** Every EventBridge-triggered invocation, in order. */
  readonly eventInvocations: EventInvocation[] = [];
  /** Every asynchronous (`Invoke` with `InvocationType: 'Event'`) invocation of a registered function, in order. */
  readonly asyncInvocations: EventInvocation[] = [];

  private readonly eventDeliveryMs: number;
  private readonly asyncInvokeDelayMs: number;
  private readonly throttles = new Map<string, { remaining: number; errorName: string }>();
  private readonly pending = new Set<Promise<void>>();
  private readonly stubs: Stub[] = [];
  private readonly eventHandlers = new Map<EventFunctionKey, LambdaHandler>();
  private readonly functionEnvironments = new Map<EventFunctionKey, Record<string, string>>();
  private readonly runningWithEnvironment = new Map<EventFunctionKey, number>();
  private readonly savedEnvironments = new Map<EventFunctionKey, Record<string, string | undefined>>();
  private activity = 0;
  private readonly callListeners: ((call: AwsCall) => void)[] = [];

  constructor(options: SimulatedAccountOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '123456789012';
    this.tableName = options.tableName ?? 'cutover-sandbox-releases';
    this.eventDeliveryMs = options.eventDeliveryMs ?? 1000;
    this.asyncInvokeDelayMs = options.asyncInvokeDelayMs ?? 100;
    this.ssm = new SimulatedSsm(this.region, this.accountId);
    this.ecs = new SimulatedEcs(this.region, this.accountId, options.ecs);
    this.elbv2 = new SimulatedElbv2(this.ecs);
    this.cloudwatch = new SimulatedCloudWatch(this.region, this.accountId);
    this.dynamodb = new SimulatedDynamoDb();
    this.sfn = new SimulatedStepFunctions(this.region, this.accountId);
    this.ecr = new SimulatedEcr(this.accountId);
    this.lambda = new SimulatedLambda(this.region, this.accountId, (fn, payload) => this.invokeAsync(fn, payload));
    this.resetState();
  }

  /** Increases whenever the account does something; the runner reads it to tell progress from a stall. */
  get activityCount(): number {
    return this.activity;
  }

  /** True while an EventBridge delivery is scheduled or running. */
  get hasPendingWork(): boolean {
    return this.pending.size > 0;
  }

  /** The environment the handlers read at module load: the table name and the region. */
  handlerEnvironment(): Record<string, string> {
    return { TABLE_NAME: this.tableName, AWS_REGION: this.region, AWS_DEFAULT_REGION: this.region };
  }

  /** Loads the event-triggered handlers (onAlarm, onImagePushed), so that events can be delivered while the virtual clock runs. */
  async loadEventHandlers(): Promise<void> {
    for (const [key, entry] of Object.entries(eventFunctions) as [EventFunctionKey, { entry: string }][]) {
      if (!this.eventHandlers.has(key)) this.eventHandlers.set(key, await loadHandler(entry.entry));
    }
  }

  /**
   * Sets an event function's own environment variables (as its Lambda configuration would), e.g. onImagePushed's
   * `CUTOVER_ENVIRONMENT` and `STATE_MACHINE_ARN`. The sandbox runs every function in one process: they are put in
   * `process.env` for the duration of each invocation of that function, which reads them when invoked.
   */
  setFunctionEnvironment(key: EventFunctionKey, environment: Record<string, string>): void {
    this.functionEnvironments.set(key, { ...environment });
  }

  /**
   * EventBridge delivering `event` to a rule's target function: asynchronously, `eventDeliveryMs` of virtual time
   * later, recorded in {@link eventInvocations} with its result or error. Call it while a runner's clock runs (from a
   * hook or `runTriggered`), as the account's own alarm deliveries are.
   */
  deliverEvent(key: EventFunctionKey, event: unknown): void {
    const delivery = new Promise<void>((resolve) => {
      setTimeout(() => {
        void this.invokeEventFunction(key, event).finally(resolve);
      }, this.eventDeliveryMs);
    });
    this.pending.add(delivery);
    void delivery.finally(() => {
      this.pending.delete(delivery);
      this.activity += 1;
    });
  }

  /**
   * Lambda running an accepted asynchronous invocation `asyncInvokeDelayMs` of virtual time later, after the caller
   * got its 202, with the function's own environment; recorded in {@link asyncInvocations} with its result or error.
   * Lambda's own retries of a failed asynchronous invocation are not simulated (cutover's worker allows none).
   */
  private invokeAsync(fn: SimulatedFunction, payload: unknown): void {
    const delivery = new Promise<void>((resolve) => {
      setTimeout(() => {
        void callContext
          .run({ actor: 'lambda', functionName: fn.functionName }, async () => {
            this.activity += 1;
            const at = Date.now();
            const saved = Object.fromEntries(Object.keys(fn.environment).map((name) => [name, process.env[name]]));
            Object.assign(process.env, fn.environment);
            try {
              const result = await invokeLambda(fn.handler, payload, { functionName: fn.functionName, region: this.region, accountId: this.accountId });
              this.asyncInvocations.push({ functionName: fn.functionName, event: payload, at, result });
            } catch (error) {
              this.asyncInvocations.push({ functionName: fn.functionName, event: payload, at, error: (error as Error).name, errorMessage: (error as Error).message });
            } finally {
              for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
              }
            }
          })
          .finally(resolve);
      }, this.asyncInvokeDelayMs);
    });
    this.pending.add(delivery);
    void delivery.finally(() => {
      this.pending.delete(delivery);
      this.activity += 1;
    });
  }

  /** Intercepts every SDK client class the handlers use. Idempotent. */
  install(): this {
    if (this.stubs.length > 0) return this;
    const bindings: ServiceBinding[] = [
      { service: 'ssm', module: ssm, clientClass: ssm.SSMClient, operations: this.ssm.operations },
      { service: 'elbv2', module: elbv2, clientClass: elbv2.ElasticLoadBalancingV2Client, operations: this.elbv2.operations },
      { service: 'ecs', module: ecs, clientClass: ecs.ECSClient, operations: this.ecs.operations },
      { service: 'cloudwatch', module: cloudwatch, clientClass: cloudwatch.CloudWatchClient, operations: this.cloudwatch.operations },
      { service: 'dynamodb', module: dynamodb, clientClass: dynamodb.DynamoDBClient, operations: this.dynamodb.operations },
      { service: 'sfn', module: sfn, clientClass: sfn.SFNClient, operations: this.sfn.operations },
      { service: 'ecr', module: ecr, clientClass: ecr.ECRClient, operations: this.ecr.operations },
      { service: 'lambda', module: lambda, clientClass: lambda.LambdaClient, operations: this.lambda.operations },
    ];
    for (const binding of bindings) {
      const byCommand = new Map<unknown, string>();
      for (const operation of Object.keys(binding.operations)) {
        const commandClass = binding.module[`${operation}Command`];
        if (typeof commandClass !== 'function') throw new Error(`@aws-sdk client for ${binding.service} has no ${operation}Command`);
        byCommand.set(commandClass, operation);
      }
      const stub = mockClient(binding.clientClass as never) as unknown as Stub;
      stub.send.callsFake((command: unknown) => {
        const operation = byCommand.get((command as object).constructor);
        if (operation === undefined) {
          return Promise.reject(new Error(`the simulated account does not implement ${binding.service} ${(command as object).constructor.name}`));
        }
        return this.dispatch(binding.service, operation, (command as { input: Record<string, unknown> }).input);
      });
      this.stubs.push(stub);
    }
    // The document client does not send through DynamoDBClient#send: it runs its own middleware stack. Intercept it
    // too, translating each document command to the low-level request exactly as lib-dynamodb's middleware would.
    const documentStub = mockClient(DynamoDBDocumentClient as never) as unknown as Stub;
    const dispatch = this.dispatch.bind(this);
    documentStub.send.callsFake(function documentClientSend(this: unknown, command: unknown) {
      const translateConfig = (this as { config?: { translateConfig?: TranslateConfig } }).config?.translateConfig;
      let request;
      try {
        request = lowLevelRequestOf(command, translateConfig);
      } catch (error) {
        return Promise.reject(error);
      }
      return dispatch('dynamodb', request.operation, request.input).then(request.translateOutput);
    });
    this.stubs.push(documentStub);
    this.cloudwatch.onStateChange((event) => this.deliverAlarmEvent(event));
    this.ecs.onTaskStopped((event) => this.deliverTaskStoppedEvent(event));
    return this;
  }

  /** Restores every client class. */
  uninstall(): void {
    for (const stub of this.stubs.splice(0)) stub.restore();
  }

  /** Empties the account: every resource, call, fault and recorded invocation. Mocks stay installed. */
  reset(): void {
    this.ssm.reset();
    this.ecs.reset();
    this.elbv2.reset();
    this.cloudwatch.reset();
    this.dynamodb.reset();
    this.sfn.reset();
    this.ecr.reset();
    this.lambda.reset();
    this.log.clear();
    this.throttles.clear();
    this.eventInvocations.length = 0;
    this.asyncInvocations.length = 0;
    this.resetState();
    if (this.stubs.length > 0) this.cloudwatch.onStateChange((event) => this.deliverAlarmEvent(event));
    if (this.stubs.length > 0) this.ecs.onTaskStopped((event) => this.deliverTaskStoppedEvent(event));
  }

  /** Makes the next `count` calls of `operation` fail with a throttling error. */
  throttle(operation: string, count: number, errorName = 'ThrottlingException'): void {
    this.throttles.set(operation, { remaining: count, errorName });
  }

  /** Injects a fault. */
  inject(fault: AccountFault): void {
    switch (fault.kind) {
      case 'throttle':
        this.throttle(fault.operation, fault.count, fault.errorName);
        return;
      case 'deployment':
        this.ecs.injectDeploymentFault(fault.serviceName, fault.fault);
        return;
      case 'targetsNeverHealthy':
        this.elbv2.injectNeverHealthy(fault.targetGroupArn);
        return;
    }
  }

  /**
   * Calls `listener` after every call the account answered or refused, once its effect (if any) is applied: the place
   * to check invariants after each mutation. Returns a function that removes the listener.
   */
  onCall(listener: (call: AwsCall) => void): () => void {
    this.callListeners.push(listener);
    return () => {
      const index = this.callListeners.indexOf(listener);
      if (index >= 0) this.callListeners.splice(index, 1);
    };
  }

  /** Every call, optionally of one operation. */
  calls(operation?: string): readonly AwsCall[] {
    return this.log.calls(operation);
  }

  /** Every call that changed, or tried to change, something. */
  mutatingCalls(): readonly AwsCall[] {
    return this.log.mutatingCalls();
  }

  /** Waits until every scheduled EventBridge delivery has run (needs the clock to reach their time). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Answers one SDK call: records it, applies throttling faults, runs the service, and copies the result. */
  async dispatch(service: AwsServiceValue, operation: string, input: Record<string, unknown>): Promise<unknown> {
    this.activity += 1;
    const copy = structuredClone(input ?? {});
    const at = Date.now();
    const origin = callContext.getStore();
    const record = (error?: string): void => {
      const call: AwsCall = { service, operation, input: copy, at, ...(error === undefined ? {} : { error }), ...(origin === undefined ? {} : { origin }) };
      this.log.record(call);
      for (const listener of [...this.callListeners]) listener(call);
    };
    const throttle = this.throttles.get(operation);
    if (throttle !== undefined && throttle.remaining > 0) {
      throttle.remaining -= 1;
      record(throttle.errorName);
      throw awsError(service, throttle.errorName, 'Rate exceeded', { throttling: true });
    }
    const handler = this.operationsOf(service)[operation];
    if (handler === undefined) {
      record('UnsupportedOperation');
      throw new Error(`the simulated account does not implement ${service} ${operation}`);
    }
    let output: unknown;
    try {
      output = handler(structuredClone(copy));
    } catch (error) {
      record((error as Error).name);
      throw error;
    }
    record();
    return { $metadata: { httpStatusCode: 200, requestId: crypto.randomUUID(), attempts: 1, totalRetryDelay: 0 }, ...structuredClone(output as object) };
  }

  private operationsOf(service: AwsServiceValue): Record<string, (input: Record<string, unknown>) => unknown> {
    switch (service) {
      case 'ssm':
        return this.ssm.operations;
      case 'elbv2':
        return this.elbv2.operations;
      case 'ecs':
        return this.ecs.operations;
      case 'cloudwatch':
        return this.cloudwatch.operations;
      case 'dynamodb':
        return this.dynamodb.operations;
      case 'sfn':
        return this.sfn.operations;
      case 'ecr':
        return this.ecr.operations;
      case 'lambda':
        return this.lambda.operations;
    }
  }

  private resetState(): void {
    this.dynamodb.createTable(this.tableName, 'pk', 'sk');
    this.sfn.onTaskAnswered(() => {
      this.activity += 1;
    });
  }

  /** The EventBridge rule: `CloudWatch Alarm State Change` with `detail.state.value` ALARM → onAlarm, asynchronously. */
  private deliverAlarmEvent(event: AlarmStateChangeEvent): void {
    if (event.detail.state.value !== 'ALARM') return;
    this.deliverEvent('onAlarm', event);
  }

  /** The EventBridge rule (lib/TaskStoppedEventRule.ts): a STOPPED task whose `startedBy` has the migration prefix → onTaskStopped. */
  private deliverTaskStoppedEvent(event: TaskStateChangeEvent): void {
    if (event.detail.lastStatus !== 'STOPPED' || !(event.detail.startedBy ?? '').startsWith(MIGRATION_STARTED_BY_PREFIX)) return;
    this.deliverEvent('onTaskStopped', event);
  }

  private async invokeEventFunction(key: EventFunctionKey, event: unknown): Promise<void> {
    this.activity += 1;
    const at = Date.now();
    const functionName = `cutover-sandbox-${key}`;
    const handler = this.eventHandlers.get(key);
    if (handler === undefined) {
      this.eventInvocations.push({ functionName, event, at, error: 'SandboxHandlerNotLoaded', errorMessage: 'call loadEventHandlers() before events are delivered' });
      return;
    }
    const restoreEnvironment = this.applyFunctionEnvironment(key);
    try {
      const result = await callContext.run({ actor: 'eventbridge', functionName }, () => invokeLambda(handler, event, { functionName, region: this.region, accountId: this.accountId }));
      this.eventInvocations.push({ functionName, event, at, result });
    } catch (error) {
      this.eventInvocations.push({ functionName, event, at, error: (error as Error).name, errorMessage: (error as Error).message });
    } finally {
      restoreEnvironment();
    }
  }

  /** Puts a function's environment into `process.env`; the returned function restores what was there once no invocation of it runs. */
  private applyFunctionEnvironment(key: EventFunctionKey): () => void {
    const environment = this.functionEnvironments.get(key);
    if (environment === undefined) return () => {};
    const running = (this.runningWithEnvironment.get(key) ?? 0) + 1;
    this.runningWithEnvironment.set(key, running);
    if (running === 1) this.savedEnvironments.set(key, Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]])));
    Object.assign(process.env, environment);
    return () => {
      const left = (this.runningWithEnvironment.get(key) ?? 1) - 1;
      this.runningWithEnvironment.set(key, left);
      if (left > 0) return;
      for (const [name, value] of Object.entries(this.savedEnvironments.get(key) ?? {})) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
  }
}
