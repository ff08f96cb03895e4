import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests share one pcscd and one virtual card per file; files run one at a time so
    // two stacks never race for the machine's two cores.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts its summary line from.
    reporters: ['default', ['json', { outputFile: 'var/test-results.json' }]],
  },
});
