import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readCutoverEnvironments } from '../lib/cutoverConfig.ts';
import { CutoverStack } from '../lib/CutoverStack.ts';

const app = new App();
// One isolated control plane per environment of cdk.json (only the one given with -c environment=<name>, if any).
for (const config of readCutoverEnvironments((key) => app.node.tryGetContext(key))) {
  new CutoverStack(app, `Cutover-${config.environment}`, {
    config,
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
    description: `cutover ${config.environment}: blue-green canary releases of ECS services`,
  });
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
