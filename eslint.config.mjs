// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'coverage/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The domain is pure: AWS I/O belongs in lambdas/adapters/.
    files: ['lambdas/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*', 'aws-sdk', 'aws-sdk/*'], message: 'lambdas/domain is pure: put AWS I/O in lambdas/adapters/.' },
            { group: ['**/adapters/**', '**/handlers/**', '@middy/*', '@aws-lambda-powertools/*'], message: 'lambdas/domain depends on nothing but itself and zod.' },
          ],
        },
      ],
    },
  },
  {
    // Handlers only wire: no direct SDK command construction.
    files: ['lambdas/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@aws-sdk/lib-dynamodb'], importNames: ['GetCommand', 'PutCommand', 'QueryCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand'], message: 'Handlers wire adapters; commands belong in lambdas/adapters/.' }],
        },
      ],
    },
  },
);
