// Lint rules: typescript-eslint's strictest type-checked set, the size limits STYLE.md asks for, and the layer
// rule that keeps @kubernetes/client-node behind src/kube/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const clientNodeOnlyInKube = {
  patterns: [
    {
      group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
      message: 'Only src/kube/ talks to @kubernetes/client-node; use the src/kube API instead.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      complexity: ['error', 10],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
      'no-restricted-imports': ['error', clientNodeOnlyInKube],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a derived union type.' },
        { selector: 'TSModuleDeclaration', message: 'No namespaces: use ES modules.' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests describe behaviour in GIVEN/WHEN/THEN blocks that are naturally longer.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
