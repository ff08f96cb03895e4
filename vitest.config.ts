import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the "source" export condition), so tests
  // need no build of the package under test; `npm test` builds first for what starts new processes.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Integration tests share one pcscd and one virtual card per file; files run one at a time so
    // two stacks never race for the machine's two cores.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts its summary line from.
    reporters: ['default', ['json', { outputFile: 'var/test-results.json' }]],
  },
});
