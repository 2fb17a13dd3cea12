import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A script of `fixtures/`, as an absolute path. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** How to start Node: the argv prefix before the script. */
export type NodeCommand = readonly [file: string, ...args: string[]];

/** The Node running the tests. */
export const currentNode: NodeCommand = [process.execPath];

/**
 * Node of the given major, fetched by npx from the npm registry on first use and run from npx's
 * cache afterwards (`--prefer-offline`).
 */
export function nodeMajor(major: number): NodeCommand {
  return ['npx', '--prefer-offline', '--yes', `node@${major}`];
}

/**
 * Runs `script` in a child Node process, so Node's own resolver and loaders are used (not vite's),
 * and returns the last line it printed to stdout parsed as JSON.
 *
 * @throws Error with the child's stderr when it exits non-zero or prints no JSON line.
 */
export async function runNodeScript(
  script: string,
  options: { node?: NodeCommand; env?: Record<string, string>; cwd?: string } = {},
): Promise<unknown> {
  const [file, ...args] = options.node ?? currentNode;
  const { stdout } = await run(file, [...args, script], {
    cwd: options.cwd ?? fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string; stdout?: string }) => {
    throw new Error(`${file} ${[...args, script].join(' ')} failed: ${error.message}\n${error.stderr ?? ''}`);
  });
  const last = stdout.trimEnd().split('\n').at(-1);
  if (last === undefined || last === '') throw new Error(`${script} printed nothing`);
  return JSON.parse(last) as unknown;
}
