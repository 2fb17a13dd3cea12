import { defineProject } from 'vitest/config';

// No workspace aliases here, on purpose: these tests import @secondrow/* the way users do, so Node
// resolution goes through each package's `exports` map to its built dist.
export default defineProject({
  test: {
    name: 'published',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/require-build.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
