import type {
  EcsPort,
  EcsServiceView,
  EcsTaskPort,
  MigrationKey,
  MigrationRecord,
  MigrationRunRecord,
  MigrationStatusValue,
  MigrationStorePort,
  RunTaskRequest,
  RunTaskResult,
  TaskDefinitionRecord,
} from '../../lambdas/domain/ports.ts';
import { CallLog } from './fakePorts.ts';

const keyOf = (key: MigrationKey): string => `${key.environment}#${key.service}#${key.digest}#${key.phase}`;

/** An in-memory {@link MigrationStorePort} with the table's conditions: a success is never overwritten, a run ends once. */
export class InMemoryMigrationStore implements MigrationStorePort {
  readonly migrations = new Map<string, MigrationRecord>();
  readonly runs = new Map<string, MigrationRunRecord>();

  constructor(private readonly log: CallLog = new CallLog()) {}

  async getMigration(key: MigrationKey): Promise<MigrationRecord | undefined> {
    return this.migrations.get(keyOf(key));
  }

  async startMigration(record: MigrationRecord, run: MigrationRunRecord): Promise<void> {
    this.log.record('migrations.startMigration', record, run);
    if (this.migrations.get(keyOf(record))?.status === 'Succeeded') {
      const error = new Error('already succeeded');
      error.name = 'MigrationAlreadySucceeded';
      throw error;
    }
    this.migrations.set(keyOf(record), record);
    this.runs.set(run.runId, run);
  }

  async attachMigrationToken(run: MigrationRunRecord): Promise<void> {
    this.log.record('migrations.attachMigrationToken', run);
    this.runs.set(run.runId, run);
  }

  async setMigrationTask(key: MigrationKey, runId: string, taskArn: string): Promise<void> {
    const record = this.migrations.get(keyOf(key));
    if (record?.runId === runId) this.migrations.set(keyOf(key), { ...record, taskArn });
  }

  async endMigration(
    key: MigrationKey,
    runId: string,
    end: { readonly status: MigrationStatusValue; readonly endedAt: string; readonly exitCode?: number; readonly cause?: string },
  ): Promise<void> {
    this.log.record('migrations.endMigration', key, runId, end);
    const record = this.migrations.get(keyOf(key));
    if (record?.runId === runId && record.status === 'Running') this.migrations.set(keyOf(key), { ...record, ...end });
    this.runs.delete(runId);
  }

  async getMigrationRun(runId: string): Promise<MigrationRunRecord | undefined> {
    return this.runs.get(runId);
  }
}

/** An ECS fake for one-off tasks: RunTask answers `nextRunTask`, running tasks are listed by `startedBy`. */
export class FakeEcsTasks implements EcsPort, EcsTaskPort {
  readonly services = new Map<string, EcsServiceView>();
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord>();
  readonly running = new Map<string, string[]>();
  nextRunTask: RunTaskResult | Error = { taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/0123456789abcdef0123456789abcdef' };

  constructor(private readonly log: CallLog = new CallLog()) {}

  async describeServices(_cluster: string, serviceNames: readonly string[]): Promise<ReadonlyMap<string, EcsServiceView>> {
    return new Map(serviceNames.flatMap((name) => (this.services.has(name) ? [[name, this.services.get(name) as EcsServiceView]] : [])));
  }

  async describeTaskDefinition(taskDefinitionArn: string): Promise<TaskDefinitionRecord> {
    const record = this.taskDefinitions.get(taskDefinitionArn);
    if (record === undefined) throw new Error(`no task definition ${taskDefinitionArn}`);
    return record;
  }

  async registerTaskDefinition(): Promise<string> {
    throw new Error('not used');
  }

  async updateService(...args: Parameters<EcsPort['updateService']>): Promise<void> {
    this.log.record('ecs.updateService', ...args);
  }

  async runTask(request: RunTaskRequest): Promise<RunTaskResult> {
    this.log.record('ecs.runTask', request);
    if (this.nextRunTask instanceof Error) throw this.nextRunTask;
    if ('taskArn' in this.nextRunTask) this.running.set(request.startedBy, [...(this.running.get(request.startedBy) ?? []), this.nextRunTask.taskArn]);
    return this.nextRunTask;
  }

  async listRunningTasks(_cluster: string, startedBy: string): Promise<readonly string[]> {
    return this.running.get(startedBy) ?? [];
  }

  async stopTask(cluster: string, taskArn: string, reason: string): Promise<void> {
    this.log.record('ecs.stopTask', cluster, taskArn, reason);
    for (const [startedBy, tasks] of this.running) this.running.set(startedBy, tasks.filter((task) => task !== taskArn));
  }
}
