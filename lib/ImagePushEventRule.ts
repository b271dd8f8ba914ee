import type { Construct } from 'constructs';
import { DeadLetteredEventRule, type DeadLetteredEventRuleOptions } from './DeadLetteredEventRule.ts';

/**
 * Sends every successful ECR image push to onImagePushed, which releases the services whose triggers match. A
 * handled push is idempotent, so an event from the dead-letter queue can be sent again.
 */
export class ImagePushEventRule extends DeadLetteredEventRule {
  constructor(scope: Construct, id: string, props: DeadLetteredEventRuleOptions) {
    super(scope, id, {
      ...props,
      description: 'cutover: an image was pushed to ECR; release the services whose triggers match',
      eventPattern: { source: ['aws.ecr'], detailType: ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
    });
  }
}
