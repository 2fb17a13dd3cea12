import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { createRowTable, startLocalAws } from '@secondrow/local';
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

function urlOf(cli: ReturnType<typeof run>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
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
    const url = await urlOf(cli);
    const devices = (await (await fetch(`${url}api/devices`)).json()) as { devices: unknown[] };
    const page = await fetch(url);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(devices.devices).toHaveLength(1);
    expect(page.status).toBe(200);
    expect(cli.out()).toContain('serving a simulated fleet');
    expect(cli.out()).toContain('stopping');
    await expect(fetch(`${url}api/devices`)).rejects.toThrow();
  });

  it('serves the table a pnpm demo --keep left in --data-dir, and says so', async () => {
    // Prepare: a kept directory holding the demo's table with one device noted in its registry.
    const dir = mkdtempSync(join(tmpdir(), 'viewer-kept-'));
    try {
      const aws = await startLocalAws({ dataDir: dir, kinesis: false });
      const t0 = Date.UTC(2026, 11, 4, 10, 0, 0);
      try {
        const tableName = await createRowTable(aws.dynamodb, 'secondrow-demo');
        const samples = Array.from({ length: 100 }, (_, i) => ({ t: t0 + i * 20, x: 0, y: 0, z: 1 }));
        await new SampleStore({ client: aws.dynamodb, tableName }).write('kept-watch', samples);
        await new DeviceRegistry({ client: aws.dynamodb, tableName, intervalMs: 0 }).note(
          'kept-watch',
          t0,
          t0 + 1980,
        );
      } finally {
        await aws.close();
      }
      // Act
      const cli = run(['--data-dir', dir]);
      running = cli.child;
      const url = await urlOf(cli);
      const devices = (await (await fetch(`${url}api/devices`)).json()) as unknown;
      cli.child.kill('SIGTERM');
      // Assert
      expect(await cli.exit).toBe(0);
      expect(devices).toEqual({
        version: 2,
        devices: [{ deviceId: 'kept-watch', firstMs: t0, lastMs: t0 + 1980 }],
      });
      expect(cli.out()).toContain(`serving the kept table secondrow-demo of ${dir}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the tables of a --data-dir that lacks the one asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viewer-kept-'));
    try {
      const aws = await startLocalAws({ dataDir: dir, kinesis: false });
      await createRowTable(aws.dynamodb, 'other-rows').finally(() => aws.close());
      const cli = run(['--data-dir', dir]);
      running = cli.child;
      expect(await cli.exit).toBe(1);
      expect(cli.err()).toContain(`no readable table secondrow-demo in ${dir} (tables: other-rows)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
