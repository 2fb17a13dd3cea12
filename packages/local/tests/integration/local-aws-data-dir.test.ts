import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createRowTable, LocalOptionError, ServerStartError, startLocalAws } from '../../src/index.js';

describe('startLocalAws({ dataDir })', () => {
  const dirs: string[] = [];
  const newDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'local-data-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([false, true])(
    'keeps a table and its items after close and restart (thread: %s)',
    async (thread) => {
      // Prepare
      const dataDir = newDir();
      const first = await startLocalAws({ dataDir, kinesis: false, thread });
      try {
        await createRowTable(first.dynamodb, 'kept');
        await first.dynamodb.send(
          new PutItemCommand({
            TableName: 'kept',
            Item: { d: { S: 'dev-1' }, s: { N: '1000' }, v: { S: 'x' } },
          }),
        );
      } finally {
        await first.close();
      }
      // Act
      const second = await startLocalAws({ dataDir, kinesis: false, thread });
      try {
        const tables = await second.dynamodb.send(new ListTablesCommand({}));
        const item = await second.dynamodb.send(
          new GetItemCommand({ TableName: 'kept', Key: { d: { S: 'dev-1' }, s: { N: '1000' } } }),
        );
        // Assert
        expect(tables.TableNames).toEqual(['kept']);
        expect(item.Item?.v?.S).toBe('x');
      } finally {
        await second.close();
      }
    },
  );

  it('keeps nothing without dataDir', async () => {
    // Prepare
    const first = await startLocalAws({ kinesis: false });
    await createRowTable(first.dynamodb, 'gone');
    await first.close();
    // Act
    const second = await startLocalAws({ kinesis: false });
    try {
      const tables = await second.dynamodb.send(new ListTablesCommand({}));
      // Assert
      expect(tables.TableNames).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('rejects an empty dataDir before starting anything', async () => {
    await expect(startLocalAws({ dataDir: ' ' })).rejects.toThrow(LocalOptionError);
  });
});

describe('startLocalAws({ dataDir, clearDataDir })', () => {
  it('starts empty, deleting the tables kept there', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'local-data-'));
    try {
      const first = await startLocalAws({ dataDir, kinesis: false });
      await createRowTable(first.dynamodb, 'old');
      await first.close();
      // Act
      const second = await startLocalAws({ dataDir, kinesis: false, clearDataDir: true });
      try {
        const tables = await second.dynamodb.send(new ListTablesCommand({}));
        // Assert
        expect(tables.TableNames).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('startLocalAws({ dataDir }) on a directory in use', () => {
  it('refuses a directory another process holds with a ServerStartError naming it', async () => {
    // Prepare: another process opens the LevelDB and keeps it open
    const dataDir = mkdtempSync(join(tmpdir(), 'local-data-'));
    const dbPath = join(dataDir, 'dynamodb');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { ClassicLevel } from 'classic-level';
         const db = new ClassicLevel(${JSON.stringify(dbPath)});
         await db.open();
         process.stdout.write('held\\n');
         setTimeout(() => {}, 60000);`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      // Act
      const second = startLocalAws({ dataDir, kinesis: false });
      // Assert
      await expect(second).rejects.toThrow(ServerStartError);
      await expect(second).rejects.toThrow(/the data directory .*dynamodb cannot be opened/);
    } finally {
      holder.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
