import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseFunctions } from '../../lib/releaseFunctions.ts';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

describe('Class: LocalRunner', () => {
  const account = new SimulatedAccount();

  beforeAll(() => {
    account.install();
  });

  afterAll(() => {
    account.uninstall();
  });

  describe('Method: definition', () => {
    it('replaces every placeholder with the fake ARN of its catalog function', () => {
      // Prepare
      const runner = new LocalRunner({ account });

      // Act
      const text = JSON.stringify(runner.definition());

      // Assess
      expect(text).not.toContain('${');
      for (const key of Object.keys(releaseFunctions) as (keyof typeof releaseFunctions)[]) {
        expect(text).toContain(runner.functionArn(key));
      }
    });

    it('fails loudly on a placeholder the catalog does not know', () => {
      // Prepare
      const runner = new LocalRunner({ account, definitionPath: 'test/sandbox/fixtures/unknownPlaceholder.asl.json' });

      // Act
      const act = (): unknown => runner.definition();

      // Assess
      expect(act).toThrow(/unknown placeholder \$\{DeployEverythingFunctionArn\}/);
    });
  });
});
