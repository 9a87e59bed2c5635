import root from '../../eslint.config.js';

// packages/model is pure: it runs in the browser and on the server alike.
export default [
  ...root,
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', 'fixtures/**', 'src/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'better-sqlite3', 'mongoose', 'ws', 'express', '@samverkan/server', '**/apps/*'],
              message: 'packages/model is pure: no Node, database or app code.',
            },
          ],
        },
      ],
    },
  },
];
