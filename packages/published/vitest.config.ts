import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

// The published packages (@secondrow/codec, @secondrow/consumer, @secondrow/query) are not aliased, on purpose: these tests
// import them the way users do, so resolution goes through each package's `exports` map to its built dist.
// Only the private test tooling (@secondrow/devkit's record factories, @secondrow/local's dynalite) runs
// from its sources, as in every other project; its own imports of codec and consumer resolve to the same
// built dist, so one copy of each published module is loaded.
const testTooling = ['@secondrow/devkit', '@secondrow/local'];

export default defineProject({
  resolve: { alias: workspaceAliases.filter(({ find }) => testTooling.some((name) => find.test(name))) },
  test: {
    name: 'published',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/require-build.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
