/**
 * Errors with stable names. The state machine's `Retry` and `Catch` fields match on these names
 * (the Lambda error type), so each subclass sets its name as a string literal: a minifier may rename classes.
 */

/** Base class of every error cutover raises on purpose. */
export class ReleaseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseError';
  }
}

/** The execution input is not a valid release request. The message names the field. */
export class InvalidReleaseInput extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidReleaseInput';
  }
}

/** The service's SSM configuration is missing, malformed, or does not fit the live resources. The message names the field. */
export class InvalidServiceConfig extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidServiceConfig';
  }
}

/** Another running execution holds the service's release lock. */
export class ConcurrentReleaseError extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrentReleaseError';
  }
}

/** The production rule splits traffic between the colours, so there is no single live colour to release from. */
export class TrafficNotSettled extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TrafficNotSettled';
  }
}

/** The idle colour did not become ready (deployment, running tasks, healthy targets) in time, or its deployment failed. */
export class IdleNotReady extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdleNotReady';
  }
}

/** A watched CloudWatch alarm is in ALARM during a bake. */
export class AlarmFired extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlarmFired';
  }
}

/** An operator aborted the release. */
export class ReleaseAborted extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseAborted';
  }
}

/** The release was rolled back: the stable colour is back at weight 100. The message names the cause. */
export class ReleaseRolledBack extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseRolledBack';
  }
}

/** An event given to `onAlarm` is not a CloudWatch alarm state change. The message names the field. */
export class InvalidAlarmEvent extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAlarmEvent';
  }
}

/**
 * Another running execution holds the service's release lock and the service's `onBusy` is `queue`: Prepare's `Retry`
 * on this name waits for the lock (see statemachines/release.asl.json). Nothing has changed in AWS.
 */
export class ReleaseQueued extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseQueued';
  }
}

/** A release of the same service started after this one has already taken the lock: this older request would overwrite a newer image. */
export class ReleaseSuperseded extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseSuperseded';
  }
}

/** An event given to `onImagePushed` is not an ECR image action. The message names the field. */
export class InvalidImagePushEvent extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidImagePushEvent';
  }
}

/**
 * The migration gate failed: the migration task exited non-zero, could not start, or outran its timeout (then it was
 * stopped). The message names the exit code or stop reason and the task's CloudWatch Logs stream. No traffic moved.
 */
export class MigrationFailed extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationFailed';
  }
}

/** A smoke test against the test listener failed. The message names the test, the status and an excerpt of the body. No traffic moved. */
export class SmokeTestFailed extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SmokeTestFailed';
  }
}

/** An event given to `onTaskStopped` is not an ECS task state change. The message names the field. */
export class InvalidTaskEvent extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidTaskEvent';
  }
}

/** Error names the state machine matches on, as one closed set. */
export const ReleaseErrorName = {
  InvalidReleaseInput: 'InvalidReleaseInput',
  InvalidServiceConfig: 'InvalidServiceConfig',
  ConcurrentReleaseError: 'ConcurrentReleaseError',
  ReleaseQueued: 'ReleaseQueued',
  ReleaseSuperseded: 'ReleaseSuperseded',
  TrafficNotSettled: 'TrafficNotSettled',
  IdleNotReady: 'IdleNotReady',
  AlarmFired: 'AlarmFired',
  ReleaseAborted: 'ReleaseAborted',
  ReleaseRolledBack: 'ReleaseRolledBack',
  MigrationFailed: 'MigrationFailed',
  SmokeTestFailed: 'SmokeTestFailed',
  ReleaseFrozen: 'ReleaseFrozen',
  ApprovalRejected: 'ApprovalRejected',
  InvalidEnvironmentSettings: 'InvalidEnvironmentSettings',
} as const;

/** One of the stable error names. */
export type ReleaseErrorNameValue = (typeof ReleaseErrorName)[keyof typeof ReleaseErrorName];

/** The environment's settings (`/cutover/<environment>/settings`) are not valid JSON or break the schema. The message names the field. */
export class InvalidEnvironmentSettings extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEnvironmentSettings';
  }
}

/** The release reached the traffic gate inside a freeze window and the environment refuses (or the wait would be too long). */
export class ReleaseFrozen extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReleaseFrozen';
  }
}

/** An approval was refused: rejected by an approver, or it timed out. */
export class ApprovalRejected extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalRejected';
  }
}

/** An event given to `onPromotion` is not a Release Succeeded event of an environment that promotes into this one. The message names the field. */
export class InvalidPromotionEvent extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidPromotionEvent';
  }
}

/** The Slack worker was invoked with something that is not Slack work. The message names the field; nothing was done. */
export class InvalidSlackWork extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSlackWork';
  }
}

/**
 * A rollback found nothing to go back to: the ledger has no successful release of the service, or none before the
 * newest one. The message names what is missing; nothing was changed.
 */
export class NothingToRollBack extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NothingToRollBack';
  }
}

/**
 * A `Release Succeeded` event asks to promote an image from a repository this service is not configured to release
 * (neither its `promotionRepositories` nor, without them, a trigger's repository in this account and region).
 * The message names the repository and what is allowed; nothing was started.
 */
export class PromotionImageRefused extends ReleaseError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PromotionImageRefused';
  }
}
