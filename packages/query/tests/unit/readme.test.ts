import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as query from '../../src/index.js';

/**
 * The README's ```ts blocks run, in order and in one scope, against this package's sources; ```typescript
 * blocks are illustrations that need AWS. What they print must match what the README says they print.
 */
describe('README examples', () => {
  it('run and print what their comments say', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const code = blocks
      .join('\n')
      .replace(
        /import \{([^}]+)\} from '@secondrow\/query';/g,
        (_, names: string) => `const {${names}} = query;`,
      );
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1] as string);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(format(...args));
    });
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
        ...args: string[]
      ) => (q: typeof query) => Promise<void>;
      await new AsyncFunction('query', code)(query);
    } finally {
      log.mockRestore();
    }
    expect(printed).toHaveLength(expected.length);
    printed.forEach((line, i) => {
      // A comment may elide the end of what is printed with "...", and adds notes in parentheses.
      const claim = (expected[i] as string).replace(/\s*\(.*\)$/, '').replace(/, \.\.\. \}$/, '');
      expect(line.replace(/\s+/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']')).toContain(claim);
    });
  });
});
