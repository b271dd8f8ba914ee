import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { seedExampleService } from '../../sandbox/account/seedExampleService.ts';
import { startMotoServer } from './motoServer.ts';

/** The SDK clients the adapters are given. */
export interface ContractClients {
  readonly ssm: SSMClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly ecr: ECRClient;
}

/** The resources every backend holds before the tests: the example service of the sandbox. */
export interface ContractFixture {
  readonly cluster: string;
  readonly blueService: string;
  readonly greenService: string;
  readonly liveTaskDefinitionArn: string;
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
  readonly ruleArn: string;
  readonly alarmNames: readonly string[];
  readonly parameterName: string;
  readonly parameterValue: string;
  readonly tableName: string;
  readonly repositoryName: string;
  readonly tag: string;
  readonly digest: string;
}

/** One AWS implementation the contract tests run against. */
export interface ContractBackend {
  readonly name: string;
  readonly clients: ContractClients;
  readonly fixture: ContractFixture;
  close(): Promise<void>;
}

const REGION = 'eu-west-1';
const TABLE_NAME = 'cutover-contract-releases';
const SERVICE = 'web';

const clientsFor = (config: Record<string, unknown>): ContractClients => ({
  ssm: new SSMClient(config),
  elbv2: new ElasticLoadBalancingV2Client(config),
  ecs: new ECSClient(config),
  cloudwatch: new CloudWatchClient(config),
  dynamodb: new DynamoDBClient(config),
  sfn: new SFNClient(config),
  ecr: new ECRClient(config),
});

/** The simulated account, seeded with the sandbox's example service; its mocks stay installed until `close`. */
export function simulatorBackend(): ContractBackend {
  const account = new SimulatedAccount({ region: REGION, tableName: TABLE_NAME }).install();
  const example = seedExampleService(account, { service: SERVICE });
  const digest = `sha256:${'b'.repeat(64)}`;
  account.ecr.seedImage(SERVICE, digest, ['v2']);
  return {
    name: 'the simulated account',
    clients: clientsFor({ region: REGION }),
    fixture: {
      cluster: example.clusterName,
      blueService: example.blue.serviceName,
      greenService: example.green.serviceName,
      liveTaskDefinitionArn: example.liveTaskDefinitionArn,
      blueTargetGroupArn: example.blue.targetGroupArn,
      greenTargetGroupArn: example.green.targetGroupArn,
      ruleArn: example.productionListenerRuleArn,
      alarmNames: example.alarmNames,
      parameterName: example.parameterName,
      parameterValue: JSON.stringify(example.config, null, 2),
      tableName: TABLE_NAME,
      repositoryName: SERVICE,
      tag: 'v2',
      digest,
    },
    close: () => {
      account.uninstall();
      return Promise.resolve();
    },
  };
}

/** EC2 through its query API: the contract needs only the default VPC's id and subnets, and cutover has no EC2 client. */
async function defaultNetwork(endpoint: string): Promise<{ vpcId: string; subnetIds: string[] }> {
  const query = async (action: string): Promise<string> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=testing/20250602/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: `Action=${action}&Version=2016-11-15`,
    });
    return response.text();
  };
  const vpcId = /<vpcId>(vpc-[^<]+)<\/vpcId>/.exec(await query('DescribeVpcs'))?.[1];
  const subnetIds = [...(await query('DescribeSubnets')).matchAll(/<subnetId>(subnet-[^<]+)<\/subnetId>/g)].map((match) => match[1] ?? '');
  if (vpcId === undefined || subnetIds.length < 2) throw new Error('moto_server has no default VPC with two subnets');
  return { vpcId, subnetIds };
}

/** A fresh `moto_server`, seeded through the SDK with the same example service. */
export async function motoBackend(): Promise<ContractBackend> {
  const server = await startMotoServer();
  try {
    const clients = clientsFor({ region: REGION, endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    // The same body the sandbox seeds, so that both backends describe the same task definition.
    const reference = new SimulatedAccount({ region: REGION });
    const referenceExample = seedExampleService(reference, { service: SERVICE });
    const taskDefinition = { ...(reference.ecs.taskDefinition(referenceExample.liveTaskDefinitionArn) ?? {}) };
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) delete taskDefinition[field];

    const { vpcId, subnetIds } = await defaultNetwork(server.endpoint);
    const targetGroup = async (name: string): Promise<string> => {
      const output = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'ip' }));
      return output.TargetGroups?.[0]?.TargetGroupArn ?? '';
    };
    const blueTargetGroupArn = await targetGroup(`${SERVICE}-blue`);
    const greenTargetGroupArn = await targetGroup(`${SERVICE}-green`);
    const loadBalancer = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'prod-alb', Subnets: subnetIds.slice(0, 2) }));
    const listener = await clients.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: loadBalancer.LoadBalancers?.[0]?.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: blueTargetGroupArn }] }),
    );
    const rule = await clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listener.Listeners?.[0]?.ListenerArn,
        Priority: 10,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['app.example.com'] } }],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueTargetGroupArn, Weight: 100 },
                { TargetGroupArn: greenTargetGroupArn, Weight: 0 },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      }),
    );

    await clients.ecs.send(new CreateClusterCommand({ clusterName: referenceExample.clusterName }));
    const registered = await clients.ecs.send(new RegisterTaskDefinitionCommand({ ...(taskDefinition as unknown as RegisterTaskDefinitionCommandInput), tags: [{ key: 'team', value: 'payments' }] }));
    const liveTaskDefinitionArn = registered.taskDefinition?.taskDefinitionArn ?? '';
    for (const [serviceName, targetGroupArn, desiredCount] of [
      [referenceExample.blue.serviceName, blueTargetGroupArn, 2],
      [referenceExample.green.serviceName, greenTargetGroupArn, 0],
    ] as const) {
      await clients.ecs.send(
        new CreateServiceCommand({ cluster: referenceExample.clusterName, serviceName, taskDefinition: liveTaskDefinitionArn, desiredCount, loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 8080 }] }),
      );
    }

    for (const alarmName of referenceExample.alarmNames) {
      await clients.cloudwatch.send(
        new PutMetricAlarmCommand({ AlarmName: alarmName, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }),
      );
    }
    const parameterValue = JSON.stringify(referenceExample.config, null, 2);
    await clients.ssm.send(new PutParameterCommand({ Name: referenceExample.parameterName, Value: parameterValue, Type: 'String' }));
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE_NAME,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: SERVICE }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: `sha256:${'c'.repeat(64)}` },
      layers: [],
    });
    const pushed = await clients.ecr.send(new PutImageCommand({ repositoryName: SERVICE, imageManifest: manifest, imageTag: 'v2' }));

    return {
      name: 'moto_server',
      clients,
      fixture: {
        cluster: referenceExample.clusterName,
        blueService: referenceExample.blue.serviceName,
        greenService: referenceExample.green.serviceName,
        liveTaskDefinitionArn,
        blueTargetGroupArn,
        greenTargetGroupArn,
        ruleArn: rule.Rules?.[0]?.RuleArn ?? '',
        alarmNames: referenceExample.alarmNames,
        parameterName: referenceExample.parameterName,
        parameterValue,
        tableName: TABLE_NAME,
        repositoryName: SERVICE,
        tag: 'v2',
        digest: pushed.image?.imageId?.imageDigest ?? '',
      },
      close: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
