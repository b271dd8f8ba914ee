import { awsError } from './awsError.ts';

/** A metric alarm of the simulated account. */
export interface SimulatedAlarm {
  readonly alarmName: string;
  readonly alarmArn: string;
  stateValue: string;
  stateReason: string;
  stateUpdatedAt: Date;
}

/** The EventBridge event CloudWatch emits when an alarm changes state (detail-type `CloudWatch Alarm State Change`). */
export interface AlarmStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CloudWatch Alarm State Change';
  readonly source: 'aws.cloudwatch';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly alarmName: string;
    readonly state: { readonly value: string; readonly reason: string; readonly timestamp: string };
    readonly previousState: { readonly value: string; readonly reason: string; readonly timestamp: string };
    readonly configuration: { readonly description?: string; readonly metrics: readonly unknown[] };
  };
}

/** CloudWatch alarms of the simulated account: DescribeAlarms and SetAlarmState, with state-change events. */
export class SimulatedCloudWatch {
  private readonly alarms = new Map<string, SimulatedAlarm>();
  private readonly listeners: ((event: AlarmStateChangeEvent) => void)[] = [];

  constructor(private readonly region: string, private readonly accountId: string) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeAlarms: (input) => this.describeAlarms(input),
    SetAlarmState: (input) => this.setAlarmState(input),
  };

  /** Creates a metric alarm in `OK`. */
  seedAlarm(alarmName: string, stateValue = 'OK'): void {
    this.alarms.set(alarmName, {
      alarmName,
      alarmArn: `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${alarmName}`,
      stateValue,
      stateReason: 'Seeded by the sandbox',
      stateUpdatedAt: new Date(),
    });
  }

  /** The alarm's current state, if it exists. */
  alarm(alarmName: string): SimulatedAlarm | undefined {
    return this.alarms.get(alarmName);
  }

  /** Calls `listener` with every state change (EventBridge delivers it on). */
  onStateChange(listener: (event: AlarmStateChangeEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Removes every alarm and listener. */
  reset(): void {
    this.alarms.clear();
    this.listeners.length = 0;
  }

  private describeAlarms(input: Record<string, unknown>): unknown {
    const names = Array.isArray(input.AlarmNames) ? (input.AlarmNames as string[]) : [...this.alarms.keys()];
    const types = Array.isArray(input.AlarmTypes) ? (input.AlarmTypes as string[]) : ['MetricAlarm'];
    if (names.length > 100) throw awsError('cloudwatch', 'InvalidParameterValue', 'AlarmNames may contain at most 100 names');
    const found = names.flatMap((name) => {
      const alarm = this.alarms.get(name);
      return alarm === undefined ? [] : [alarm];
    });
    return {
      MetricAlarms: types.includes('MetricAlarm')
        ? found.map((alarm) => ({
            AlarmName: alarm.alarmName,
            AlarmArn: alarm.alarmArn,
            StateValue: alarm.stateValue,
            StateReason: alarm.stateReason,
            StateUpdatedTimestamp: alarm.stateUpdatedAt,
            ActionsEnabled: true,
          }))
        : [],
      CompositeAlarms: [],
    };
  }

  private setAlarmState(input: Record<string, unknown>): unknown {
    const alarmName = String(input.AlarmName);
    const alarm = this.alarms.get(alarmName);
    if (alarm === undefined) throw awsError('cloudwatch', 'ResourceNotFound', `Alarm ${alarmName} not found`, { httpStatusCode: 404 });
    const stateValue = String(input.StateValue);
    if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(stateValue)) {
      throw awsError('cloudwatch', 'InvalidParameterValue', `StateValue ${stateValue} is not one of OK, ALARM, INSUFFICIENT_DATA`);
    }
    const previous = { value: alarm.stateValue, reason: alarm.stateReason, timestamp: alarm.stateUpdatedAt.toISOString() };
    const changed = previous.value !== stateValue;
    alarm.stateValue = stateValue;
    alarm.stateReason = String(input.StateReason ?? '');
    alarm.stateUpdatedAt = new Date();
    // CloudWatch emits an event only when the state value changes.
    if (changed) {
      const event: AlarmStateChangeEvent = {
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': 'CloudWatch Alarm State Change',
        source: 'aws.cloudwatch',
        account: this.accountId,
        time: alarm.stateUpdatedAt.toISOString(),
        region: this.region,
        resources: [alarm.alarmArn],
        detail: {
          alarmName,
          state: { value: stateValue, reason: alarm.stateReason, timestamp: alarm.stateUpdatedAt.toISOString() },
          previousState: previous,
          configuration: { metrics: [] },
        },
      };
      for (const listener of this.listeners) listener(event);
    }
    return {};
  }
}
