// Lint: type-aware typescript-eslint, plus the house rules of CONVENTIONS.md that a compiler
// cannot check: pure modules stay free of I/O, nothing but the CLI reads process.env, and no
// outbound HTTP bypasses the shared client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Pure modules: decisions only. They import nothing from node:*, the database or HTTP. */
const PURE = [
  'src/kernel/**/*.ts',
  'src/auth/model.ts',
  'src/alerts/model.ts',
  'src/alerts/postable.ts',
  'src/alerts/ingest-journal.types.ts',
  'src/alerts/route.ts',
  'src/alerts/alert-groups.ts',
  'src/alerts/group-timer.ts',
  'src/config/model.ts',
  'src/config/schema.ts',
  'src/config/env.ts',
  'src/config/problems.ts',
  'src/config/checks.ts',
  'src/config/schema-parts.ts',
  'src/config/alertmanager.schema.ts',
  'src/config/alertmanager.check.ts',
  'src/config/alertmanager.build.ts',
  'src/config/alertmanager.export.ts',
  'src/notify/payload.ts',
  'src/alerts/silence.ts',
  'src/alerts/muting.ts',
  'src/alerts/flapping.ts',
  'src/config/import-alertmanager.ts',
  'src/config/import-alertmanager.context.ts',
  'src/config/import-alertmanager.receivers.ts',
  'src/alerts/flush-plan.ts',
  'src/notify/summary.ts',
  'src/alerts/maintenance.ts',
  'src/config/maintenance.ts',
  'src/config/inputs.ts',
  'src/ingest/model.ts',
  'src/ingest/pagerduty.ts',
  'src/ingest/webhook-mapping.ts',
  'src/notify/channels/truncate.ts',
  'src/notify/channels/markdown-lite.ts',
  'src/config/channels.schema.ts',
  'src/config/channels.build.ts',
  'src/notify/delivery/limiter.ts',
  'src/notify/delivery/health.ts',
  'src/notify/delivery/next-state.ts',
  'src/notify/render/context.ts',
  'src/notify/render/format.ts',
  'src/notify/render/digest.ts',
  'src/notify/render/fallback.ts',
  'src/notify/render/sample.ts',
  'src/notify/render/defaults.*.ts',
  'src/notify/render/language-pack.ts',
];

const IO_MODULES = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'http',
  'https',
  'net',
  'child_process',
  'crypto',
  'os',
  'kysely',
  'pg',
  'better-sqlite3',
  'fastify',
  '@fastify/*',
  'undici',
  'pino',
  '**/db/*',
  '**/http/*',
  '**/cli/*',
  '**/app.js',
  '**/*.repo.js',
  '**/*.service.js',
  '**/routes.js',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts', '**/*.tsx'] })),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['web/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Configuration is read once, in config/ (the CLI passes process.env in).',
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'fetch',
          message: 'Outbound HTTP goes through the shared client (timeouts, limits, redaction).',
        },
      ],
    },
  },
  { files: ['src/cli/main.ts'], rules: { 'no-restricted-properties': 'off' } },
  {
    files: PURE,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IO_MODULES, message: 'A pure module imports only kernel/ and other pure modules.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Pure modules get everything as arguments.' },
        { name: 'fetch', message: 'Pure modules do no I/O.' },
        { name: 'setTimeout', message: 'Pure modules do not schedule; pass the time in.' },
        { name: 'setInterval', message: 'Pure modules do not schedule; pass the time in.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Use the injected Clock.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use the injected Clock.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    // React event handlers may be async; their promise is handled inside.
    rules: {
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: { ...globals.node } } },
);
