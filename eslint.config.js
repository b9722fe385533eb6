// Lint rules: typescript-eslint's strictest type-checked set, the size limits STYLE.md asks for, and the layer
// plan of docs/architecture.md: @kubernetes/client-node stays behind src/kube/; the pure layers (rendering, the
// API, profiles, revisions, the JSON tree, object types...) never import I/O, and the runtime nothing of Istio.
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

const noClientNode = clientNodeOnlyInKube.patterns;

/**
 * Forbids imports of the named src/ folders (a name ending in .ts: that one module), and of client-node unless
 * `clientNode` allows it.
 */
const layer = (forbidden, why, clientNode = false) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...(clientNode ? [] : noClientNode),
        { group: forbidden.map((dir) => (dir.endsWith('.ts') ? `**/${dir}` : `**/${dir}/*`)), message: why },
      ],
    },
  ],
});

// Pure: a function of its inputs (release data included). They may read files (artifacts), never the cluster.
const pureLayers = [
  'api',
  'artifacts',
  'catalog',
  'charts',
  'convert',
  'installer',
  'objects',
  'profiles',
  'render',
  'revisions',
  'tree',
];
const ioLayers = ['kube', 'apply', 'runtime', 'reconcile', 'cli', 'operator'];
const istioLayers = [
  ...pureLayers.filter((d) => d !== 'objects' && d !== 'tree'),
  'reconcile',
  'cli',
  'operator',
];

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
    files: pureLayers.map((dir) => `src/${dir}/**/*.ts`),
    rules: layer(ioLayers, 'A pure layer never imports the cluster client, the runtime or the reconcilers.'),
  },
  {
    files: ['src/objects/**/*.ts'],
    rules: layer(
      [...pureLayers.filter((d) => d !== 'objects'), ...ioLayers],
      'src/objects is the ground floor: it imports nothing of the project.',
    ),
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: layer(
      [...istioLayers, 'objects/well-known.ts'],
      'The controller runtime knows nothing of Istio or of meshop.',
    ),
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: layer(
      [...istioLayers, 'runtime', 'apply'],
      'src/kube is the cluster client: objects below it, nothing above.',
      true,
    ),
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
