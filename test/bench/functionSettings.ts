/** A synthesized Lambda function's settings, read from the CloudFormation template. */
export interface FunctionSettings {
  /** The catalog key (`prepare`, `onAlarm`, …), from the function's description. */
  readonly key: string;
  readonly logicalId: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly architecture: string;
  /** The asset directory holding the bundle (`asset.<hash>`), when the template names one. */
  readonly assetPath?: string;
}

type TemplateResource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };

/** The cutover handler functions of a synthesized template (those whose description names a `lambdas/handlers/` entry). */
export function functionSettings(template: { Resources?: Record<string, TemplateResource> }): FunctionSettings[] {
  const settings: FunctionSettings[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const properties = resource.Properties ?? {};
    const description = typeof properties.Description === 'string' ? properties.Description : '';
    const match = /: (\w+) \((lambdas\/handlers\/[^)]+)\)/.exec(description);
    if (match === null) continue;
    const assetPath = resource.Metadata?.['aws:asset:path'];
    settings.push({
      key: match[1] as string,
      logicalId,
      memoryMb: Number(properties.MemorySize ?? 128),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      architecture: Array.isArray(properties.Architectures) ? String(properties.Architectures[0]) : 'x86_64',
      ...(typeof assetPath === 'string' ? { assetPath } : {}),
    });
  }
  return settings.sort((a, b) => a.key.localeCompare(b.key));
}
