import { randomUUID } from 'node:crypto';

/** What an ECR image action was about. */
export interface EcrImageActionOptions {
  readonly accountId: string;
  readonly region: string;
  /** The repository name, without registry host (`detail.repository-name`). */
  readonly repositoryName: string;
  /** `detail.image-digest`; a failed push has none. */
  readonly imageDigest?: string;
  /** `detail.image-tag`; an untagged push has none. */
  readonly imageTag?: string;
  /** @default 'PUSH' */
  readonly actionType?: 'PUSH' | 'DELETE';
  /** @default 'SUCCESS' */
  readonly result?: 'SUCCESS' | 'FAILURE';
  /** The event id. @default a new UUID */
  readonly id?: string;
  /** @default the (virtual) now */
  readonly time?: Date;
}

/**
 * An `ECR Image Action` event as EventBridge delivers it, in the shape the Amazon ECR documentation shows
 * ("Amazon ECR events and EventBridge"): the envelope, then `detail` with `result`, `repository-name`,
 * `image-digest`, `action-type` and `image-tag`.
 */
export function ecrImageActionEvent(options: EcrImageActionOptions): Record<string, unknown> {
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: options.accountId,
    time: (options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region,
    resources: [],
    detail: {
      result: options.result ?? 'SUCCESS',
      'repository-name': options.repositoryName,
      ...(options.imageDigest === undefined ? {} : { 'image-digest': options.imageDigest }),
      'action-type': options.actionType ?? 'PUSH',
      ...(options.imageTag === undefined ? {} : { 'image-tag': options.imageTag }),
    },
  };
}
