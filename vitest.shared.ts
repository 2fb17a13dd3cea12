import { fileURLToPath } from 'node:url';

const src = (path: string): string => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

/**
 * Workspace packages resolve to their sources in tests, so a test never runs
 * against a stale build. Longer specifiers come first: aliases match by prefix.
 */
export const workspaceAliases = [
  { find: /^@secondrow\/codec\/dynamodb$/, replacement: src('codec/src/dynamodb.ts') },
  { find: /^@secondrow\/codec$/, replacement: src('codec/src/index.ts') },
  { find: /^@secondrow\/consumer$/, replacement: src('consumer/src/index.ts') },
  { find: /^@secondrow\/query$/, replacement: src('query/src/index.ts') },
  { find: /^@secondrow\/local$/, replacement: src('local/src/index.ts') },
  { find: /^@secondrow\/devkit$/, replacement: src('devkit/src/index.ts') },
  { find: /^@secondrow\/simulator$/, replacement: src('simulator/src/index.ts') },
];
