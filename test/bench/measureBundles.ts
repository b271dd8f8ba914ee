import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { FunctionSettings } from './functionSettings.ts';
import { median } from './median.ts';

const run = promisify(execFile);

/** The esbuild options lib/ReleaseHandlers.ts gives NodejsFunction, restated to get a metafile of the same bundle. */
const BANNER = "import { createRequire as cutoverCreateRequire } from 'node:module'; const require = cutoverCreateRequire(import.meta.url);";

/** The SDK client of the baseline bundle: the one client ShiftTraffic, the smallest handler, calls. */
export const BASELINE_CLIENT = { packageName: '@aws-sdk/client-elastic-load-balancing-v2', className: 'ElasticLoadBalancingV2Client' } as const;

/** One synthesized Lambda bundle: its size, what is in it, and how long it takes to load. */
export interface BundleMeasurement {
  readonly key: string;
  readonly entry: string;
  /** Bytes of the synthesized `index.mjs`. */
  readonly bytes: number;
  /** Bytes of the same bundle rebuilt here with a metafile (a check that the analysis matches the asset). */
  readonly rebuiltBytes: number;
  /** Bytes of the same bundle with `import * as z from 'zod'` instead of `import { z } from 'zod'` in lambdas/ (the fix proposed for oversized bundles). */
  readonly bytesWithZodNamespaceImport: number;
  /** The largest contributors to the bundle, by package (or project folder), in output bytes. */
  readonly topInputs: readonly { readonly name: string; readonly bytes: number }[];
  /** `@aws-sdk/client-*` packages in the bundle. */
  readonly sdkClients: readonly string[];
  /** `@aws-sdk/client-*` packages imported by the `lambdas/adapters/` modules in the bundle. */
  readonly clientsOfAdapters: readonly string[];
  /** Clients in the bundle that no adapter in it uses. */
  readonly unusedClients: readonly string[];
  /** Median ms to import the bundle in a fresh Node process, without and with the function's NODE_OPTIONS. */
  readonly initMs: number;
  readonly initMsWithSourceMaps: number;
  readonly initRuns: readonly number[];
}

/** The bundles measured, and the bare one-client baseline. */
export interface BundleReport {
  readonly bundles: readonly BundleMeasurement[];
  readonly baseline: { readonly client: string; readonly bytes: number; readonly initMs: number; readonly initRuns: readonly number[] };
  readonly runs: number;
}

const packageOf = (file: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (match !== null) return match[1] as string;
  return file.split('/').slice(0, 2).join('/');
};

/** Rewrites `import { z } from 'zod'` to the namespace import in the project's own modules (the proposed fix, measured). */
const zodNamespaceImport: Plugin = {
  name: 'zod-namespace-import',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\/lambdas\/.*\.ts$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8').replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"), loader: 'ts' }));
  },
};

async function bundleWithMetafile(projectRoot: string, entry: string, plugins: Plugin[] = []): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    plugins,
    entryPoints: [path.join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    write: false,
    metafile: true,
    outfile: path.join(projectRoot, '.bench-metafile', 'index.mjs'),
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint !== undefined) ?? Object.values(result.metafile.outputs)[0];
  return { bytes: output?.bytes ?? 0, metafile: result.metafile };
}

function analyse(metafile: Metafile): Pick<BundleMeasurement, 'topInputs' | 'sdkClients' | 'clientsOfAdapters' | 'unusedClients'> {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined) ?? Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output?.inputs ?? {})) byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + input.bytesInOutput);
  const clientPattern = /^@aws-sdk\/client-/;
  const sdkClients = [...byPackage.keys()].filter((name) => clientPattern.test(name)).sort();
  const clientsOfAdapters = new Set<string>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (!file.includes('lambdas/adapters/')) continue;
    for (const imported of input.imports) {
      const name = packageOf(imported.path);
      if (clientPattern.test(name)) clientsOfAdapters.add(name);
    }
  }
  return {
    topInputs: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, bytes]) => ({ name, bytes })),
    sdkClients,
    clientsOfAdapters: [...clientsOfAdapters].sort(),
    unusedClients: sdkClients.filter((client) => !clientsOfAdapters.has(client)),
  };
}

/** Imports `file` in a fresh Node process and returns the milliseconds the import took (module initialisation). */
async function timeImport(file: string, environment: Record<string, string>): Promise<number> {
  const script = `const start = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - start));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...environment }, maxBuffer: 1 << 20 });
  const value = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(value)) throw new Error(`no timing from ${file}: ${stdout}`);
  return value;
}

/**
 * Measures every synthesized handler bundle of `cdkOut`: size, an esbuild metafile of the same entry (what makes it
 * big; which SDK clients it carries against those its adapters use), and the median time to import it in a fresh
 * Node process over `runs` runs, beside a bare bundle of one SDK client.
 */
export async function measureBundles(projectRoot: string, cdkOut: string, functions: readonly FunctionSettings[], template: { Resources?: Record<string, { Properties?: Record<string, unknown> }> }, runs: number): Promise<BundleReport> {
  const baseEnvironment = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const targets: { key: string; entry: string; file: string; environment: Record<string, string> }[] = [];
  for (const fn of functions) {
    if (fn.assetPath === undefined) continue;
    const properties = template.Resources?.[fn.logicalId]?.Properties ?? {};
    const description = String(properties.Description ?? '');
    const entry = /\((lambdas\/handlers\/[^)]+)\)/.exec(description)?.[1] ?? '';
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    const environment = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `${name.toLowerCase()}-from-template`]));
    targets.push({ key: fn.key, entry, file: path.join(cdkOut, fn.assetPath, 'index.mjs'), environment: { ...baseEnvironment, ...environment } });
  }

  const baselineDir = path.join(cdkOut, 'bench-baseline');
  mkdirSync(baselineDir, { recursive: true });
  const baselineFile = path.join(baselineDir, 'index.mjs');
  await build({
    stdin: { contents: `import { ${BASELINE_CLIENT.className} } from '${BASELINE_CLIENT.packageName}';\nexport const client = new ${BASELINE_CLIENT.className}({});\n`, resolveDir: projectRoot, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    outfile: baselineFile,
    logLevel: 'silent',
  });

  // Round-robin over the bundles so that a noisy moment of the machine spreads over all of them.
  const timings = new Map<string, number[]>();
  const add = (name: string, ms: number): void => void timings.set(name, [...(timings.get(name) ?? []), ms]);
  for (let index = 0; index < runs; index++) {
    add('baseline', await timeImport(baselineFile, baseEnvironment));
    for (const target of targets) {
      const { NODE_OPTIONS: _nodeOptions, ...withoutNodeOptions } = target.environment;
      add(target.key, await timeImport(target.file, withoutNodeOptions));
      add(`${target.key}+maps`, await timeImport(target.file, target.environment));
    }
  }

  const bundles: BundleMeasurement[] = [];
  for (const target of targets) {
    const rebuilt = await bundleWithMetafile(projectRoot, target.entry);
    const withNamespaceImport = await bundleWithMetafile(projectRoot, target.entry, [zodNamespaceImport]);
    const initRuns = timings.get(target.key) ?? [];
    bundles.push({
      key: target.key,
      entry: target.entry,
      bytes: statSync(target.file).size,
      rebuiltBytes: rebuilt.bytes,
      bytesWithZodNamespaceImport: withNamespaceImport.bytes,
      ...analyse(rebuilt.metafile),
      initMs: median(initRuns),
      initMsWithSourceMaps: median(timings.get(`${target.key}+maps`) ?? []),
      initRuns,
    });
  }
  const baselineRuns = timings.get('baseline') ?? [];
  return {
    bundles: bundles.sort((a, b) => b.bytes - a.bytes),
    baseline: { client: BASELINE_CLIENT.packageName, bytes: statSync(baselineFile).size, initMs: median(baselineRuns), initRuns: baselineRuns },
    runs,
  };
}

/** Reads a synthesized template. */
export function readTemplate(file: string): { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> } {
  return JSON.parse(readFileSync(file, 'utf8')) as { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> };
}
