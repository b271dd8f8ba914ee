import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

/** Properties of {@link ExampleServiceRepository}. */
export interface ExampleServiceRepositoryProps {
  readonly repositoryName: string;
  /**
   * Where the repository lives when the example stack of another environment creates it (promotion releases the
   * digest pushed there, from that repository). @default - created by this stack
   */
  readonly createdBy?: { readonly account?: string; readonly region?: string };
  /** How many images the repository keeps. @default 30 */
  readonly maxImageCount?: number;
}

/**
 * The example image's ECR repository: created in the environment images are pushed to (the first of the promotion
 * chain), referenced by ARN in the environments its digests are promoted to.
 */
export class ExampleServiceRepository extends Construct {
  public readonly repository: ecr.IRepository;
  /** Whether this stack created the repository. */
  public readonly created: boolean;

  constructor(scope: Construct, id: string, props: ExampleServiceRepositoryProps) {
    super(scope, id);
    this.created = props.createdBy === undefined;
    if (props.createdBy === undefined) {
      this.repository = new ecr.Repository(this, 'Repository', {
        repositoryName: props.repositoryName,
        imageScanOnPush: true,
        // A release is pinned to a digest: a tag moved later must not change what a ledger record names.
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        lifecycleRules: [{ description: 'keep the latest images only', maxImageCount: props.maxImageCount ?? 30 }],
        // cdk destroy removes the example completely.
        removalPolicy: RemovalPolicy.DESTROY,
        emptyOnDelete: true,
      });
      return;
    }
    const repositoryArn = Stack.of(this).formatArn({
      service: 'ecr',
      resource: 'repository',
      resourceName: props.repositoryName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      ...(props.createdBy.account === undefined ? {} : { account: props.createdBy.account }),
      ...(props.createdBy.region === undefined ? {} : { region: props.createdBy.region }),
    });
    this.repository = ecr.Repository.fromRepositoryAttributes(this, 'Repository', { repositoryArn, repositoryName: props.repositoryName });
  }
}
