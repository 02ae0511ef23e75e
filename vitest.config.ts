import { defineConfig } from 'vitest/config';

// One run covers unit, integration and (later) browser tests. The JSON report feeds .ci/run's
// "N passed, N failed" line; integration tests start real servers, so they get generous timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    pool: 'forks',
  },
});
