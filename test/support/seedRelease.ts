import type { ReleaseStorePort } from '../../lambdas/domain/ports.ts';
import type { ReleaseContext } from '../../lambdas/domain/releaseState.ts';

/** Writes what Prepare writes for `release`: its lock and its InProgress ledger record. */
export async function seedRelease(store: ReleaseStorePort, release: ReleaseContext): Promise<void> {
  const attempt = await store.acquireLock(
    { service: release.service, environment: release.environment, releaseId: release.releaseId, executionArn: release.executionArn, acquiredAt: release.startedAt },
    {
      releaseId: release.releaseId,
      executionArn: release.executionArn,
      service: release.service,
      environment: release.environment,
      imageRepository: release.image.repository,
      imageDigest: release.image.digest,
      imageUri: release.image.imageUri,
      fromColor: release.stable.color,
      toColor: release.idle.color,
      fromTaskDefinition: release.stable.taskDefinitionArn,
      requestedBy: release.requestedBy,
      outcome: 'InProgress',
      startedAt: release.startedAt,
    },
  );
  if (!attempt.acquired) throw new Error('seedRelease: the lock is held');
}
