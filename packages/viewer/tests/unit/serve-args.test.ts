import { describe, expect, it } from 'vitest';
import { ViewerUsageError } from '../../src/errors.js';
import { parseViewerArgs } from '../../src/serve-args.js';

const usage = (argv: string[]) => {
  try {
    parseViewerArgs(argv);
  } catch (error) {
    if (error instanceof ViewerUsageError)
      return { flag: error.flag, code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseViewerArgs', () => {
  it('defaults to loopback, a free port and a local fleet', () => {
    expect(parseViewerArgs([])).toEqual({
      help: false,
      host: '127.0.0.1',
      port: 0,
      rebuild: false,
      table: undefined,
      kept: undefined,
      fleet: { devices: 3, minutes: 10 },
    });
  });

  it("serves the demo's kept table by default when it exists, unless a flag names another source", () => {
    expect(parseViewerArgs([], '/repo/.secondrow/local').kept).toEqual({
      dir: '/repo/.secondrow/local',
      table: 'secondrow-demo',
    });
    expect(parseViewerArgs(['--devices', '2'], '/repo/.secondrow/local').kept).toBeUndefined();
    const aws = parseViewerArgs(['--table', 'rows'], '/repo/.secondrow/local');
    expect(aws.kept).toBeUndefined();
    expect(aws.table?.name).toBe('rows');
  });

  it('reads --data-dir as a kept directory, with --table naming one of its tables', () => {
    expect(parseViewerArgs(['--data-dir', '/d']).kept).toEqual({ dir: '/d', table: 'secondrow-demo' });
    const args = parseViewerArgs(['--data-dir', '/d', '--table', 'other'], '/elsewhere');
    expect(args.kept).toEqual({ dir: '/d', table: 'other' });
    expect(args.table).toBeUndefined();
  });

  it('reads a table with its region and endpoint', () => {
    const args = parseViewerArgs([
      '--table',
      'rows',
      '--region',
      'eu-west-1',
      '--endpoint',
      'http://127.0.0.1:8000',
      '--port',
      '8080',
    ]);
    expect(args.table).toEqual({ name: 'rows', region: 'eu-west-1', endpoint: 'http://127.0.0.1:8000' });
    expect(args.port).toBe(8080);
  });

  it('names the flag at fault', () => {
    expect(usage(['--port', '70000'])).toMatchObject({ flag: '--port', code: 'USAGE' });
    expect(usage(['--port', '80x'])).toMatchObject({ flag: '--port' });
    expect(usage(['--bogus'])).toMatchObject({ flag: '--bogus' });
    expect(usage(['--region', 'eu-west-1'])).toMatchObject({ flag: '--region' });
    expect(usage(['--endpoint', 'http://x'])).toMatchObject({ flag: '--endpoint' });
    expect(usage(['--table', 'rows', '--endpoint', 'ftp://x'])).toMatchObject({ flag: '--endpoint' });
    expect(usage(['--table', 'r'])).toMatchObject({ flag: '--table' });
    expect(usage(['--table', 'rows', '--devices', '2'])).toMatchObject({ flag: '--devices' });
    expect(usage(['--table', 'rows', '--region', 'Mars'])).toMatchObject({ flag: '--region' });
    expect(usage(['--devices', '0'])).toMatchObject({ flag: '--devices' });
    expect(usage(['--host', 'a b'])).toMatchObject({ flag: '--host' });
    expect(usage(['--data-dir', ''])).toMatchObject({ flag: '--data-dir' });
    expect(usage(['--data-dir', '/d', '--minutes', '2'])).toMatchObject({ flag: '--minutes' });
    expect(usage(['--data-dir', '/d', '--endpoint', 'http://x'])).toMatchObject({ flag: '--endpoint' });
    expect(usage(['--data-dir', '/d', '--table', 'r'])).toMatchObject({ flag: '--table' });
  });
});
