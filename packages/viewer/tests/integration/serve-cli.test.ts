import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/serve-cli.ts', ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

let running: ChildProcess | undefined;

afterEach(() => {
  if (running?.exitCode === null) running.kill('SIGKILL');
});

describe('pnpm viewer', () => {
  it('refuses a bad flag with exit code 2 before starting anything', async () => {
    const cli = run(['--port', '99999']);
    running = cli.child;
    expect(await cli.exit).toBe(2);
    expect(cli.err()).toContain('--port: must be an integer in [0, 65535], got 99999');
    expect(cli.err()).toContain('Usage: pnpm viewer');
    expect(cli.out()).toBe('');
  });

  it('serves a local fleet, prints its URL and stops cleanly on SIGTERM', async () => {
    const cli = run(['--devices', '1', '--minutes', '1']);
    running = cli.child;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /viewer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.out());
        if (match !== null) {
          clearInterval(timer);
          resolve(match[1]!);
        }
        if (cli.child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`exited early: ${cli.err()}`));
        }
      }, 100);
    });
    const devices = (await (await fetch(`${url}api/devices`)).json()) as { devices: unknown[] };
    const page = await fetch(url);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(devices.devices).toHaveLength(1);
    expect(page.status).toBe(200);
    expect(cli.out()).toContain('stopping');
    await expect(fetch(`${url}api/devices`)).rejects.toThrow();
  });
});
