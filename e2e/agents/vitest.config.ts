import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test runs a real agent client (Claude Code, Codex CLI) for a whole conversation.
    testTimeout: 120_000,
    hookTimeout: 30_000,
    // The JSON report feeds the root test summary (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
