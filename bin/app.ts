import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readCutoverEnvironments } from '../lib/cutoverConfig.ts';
import { CutoverStack } from '../lib/CutoverStack.ts';
import { exampleImageSourceFor } from '../lib/exampleImageSourceFor.ts';
import { ExampleServiceStack } from '../lib/ExampleServiceStack.ts';

const app = new App();
// One isolated control plane per environment of cdk.json (only the one given with -c environment=<name>, if any).
for (const config of readCutoverEnvironments((key) => app.node.tryGetContext(key))) {
  new CutoverStack(app, `Cutover-${config.environment}`, {
    config,
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
    description: `cutover ${config.environment}: blue-green canary releases of ECS services`,
  });
  // An example service to release, next to the control plane: see "Deploy it for real" in README.md.
  const exampleImageTag = app.node.tryGetContext('exampleImageTag') as string | undefined;
  const exampleSlackChannel = app.node.tryGetContext('exampleSlackChannel') as string | undefined;
  new ExampleServiceStack(app, `CutoverExample-${config.environment}`, {
    config,
    imageSource: exampleImageSourceFor(config.environment, (key) => app.node.tryGetContext(key)),
    ...(exampleImageTag === undefined ? {} : { imageTag: exampleImageTag }),
    ...(exampleSlackChannel === undefined ? {} : { slackChannel: exampleSlackChannel }),
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
    description: `cutover ${config.environment}: an example blue-green ECS service to release`,
  });
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
