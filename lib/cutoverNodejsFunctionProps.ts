import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';

/** The repository root: handler entries and the lock file are relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What differs between cutover's functions. */
export interface CutoverFunctionSettings {
  /** The handler file, relative to the project root (e.g. `lambdas/handlers/prepare.ts`). */
  readonly entry: string;
  readonly description: string;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Environment variables besides the Powertools settings. Never secrets: those are read from SSM at run time. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The NodejsFunction properties every cutover Lambda shares: nodejs22.x on arm64, active tracing, the Powertools
 * settings, and one minified ESM bundle with the SDK versions pinned in package-lock.json (not the runtime's).
 */
export function cutoverNodejsFunctionProps(settings: CutoverFunctionSettings): NodejsFunctionProps {
  return {
    entry: join(PROJECT_ROOT, settings.entry),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
    description: settings.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: settings.memorySize,
    timeout: settings.timeout,
    tracing: lambda.Tracing.ACTIVE,
    role: settings.role,
    logGroup: settings.logGroup,
    environment: { POWERTOOLS_SERVICE_NAME: 'cutover', POWERTOOLS_LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps', ...settings.environment },
    bundling: {
      minify: true,
      sourceMap: true,
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      externalModules: [],
      // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
      banner: "import { createRequire as cutoverCreateRequire } from 'node:module'; const require = cutoverCreateRequire(import.meta.url);",
    },
  };
}
