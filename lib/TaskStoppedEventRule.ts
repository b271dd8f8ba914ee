import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { MIGRATION_STARTED_BY_PREFIX } from '../lambdas/domain/migrationStartedBy.ts';
import { DeadLetteredEventRule, type DeadLetteredEventRuleOptions } from './DeadLetteredEventRule.ts';

/** Properties of {@link TaskStoppedEventRule}. */
export interface TaskStoppedEventRuleProps extends DeadLetteredEventRuleOptions {
  /**
   * ARN patterns (`*` allowed) of the clusters whose migration tasks are watched.
   * @default any cluster (the `startedBy` prefix alone selects cutover's tasks)
   */
  readonly clusterArnPatterns?: readonly string[];
}

/**
 * Sends the `ECS Task State Change` events of stopped migration tasks (started by cutover with the `startedBy`
 * prefix, in the managed clusters) to onTaskStopped, which answers the migration gate (its timeout still ends the
 * wait if an event is lost).
 */
export class TaskStoppedEventRule extends DeadLetteredEventRule {
  constructor(scope: Construct, id: string, props: TaskStoppedEventRuleProps) {
    const clusters = (props.clusterArnPatterns ?? []).filter((pattern) => pattern !== '*');
    super(scope, id, {
      ...props,
      description: 'cutover: a migration task stopped; answer the migration gate',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          lastStatus: ['STOPPED'],
          startedBy: events.Match.prefix(MIGRATION_STARTED_BY_PREFIX),
          ...(clusters.length === 0 ? {} : { clusterArn: events.Match.anyOf(...clusters.map((pattern) => events.Match.wildcard(pattern))) }),
        },
      },
    });
  }
}
