import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/args.js';
import { ArgumentError } from '../../src/errors.js';
import { runCli } from '../../src/run-cli.js';
import { testIo } from '../helpers/dataset.js';

const EXPORT = ['export', '--device', 'd', '--from', '0', '--to', '1000'];
const AUDIT = ['audit', '--from', '0', '--to', '1000'];

// Each bad command line, the flag the error must name, and a part of its message.
const BAD: [string[], string, RegExp][] = [
  [['frobnicate'], '', /unknown command "frobnicate"/],
  [['export', '--from', '0', '--to', '1'], '--device', /--device is required/],
  [['export', '--device', 'd', '--to', '1'], '--from', /--from is required/],
  [['export', '--device', 'd', '--from', '0'], '--to', /--to is required/],
  [['export', '--device', '', '--from', '0', '--to', '1'], '--device', /--device needs a value/],
  [['export', '--device', '#registry', '--from', '0', '--to', '1'], '--device', /not a device id/],
  [
    ['export', '--device', 'd', '--from', 'yesterday', '--to', '1'],
    '--from',
    /--from must be epoch ms, an ISO-8601 time/,
  ],
  [['export', '--device', 'd', '--from', '0', '--to', '2024-02-30'], '--to', /--to must be epoch ms/],
  [['export', '--device', 'd', '--from', '0', '--to', '2024-12-04T08:00:00'], '--to', /with a zone/],
  [['export', '--device', 'd', '--from', '-5', '--to', '1'], '--from', /--from/],
  [['export', '--device', 'd', '--from', '1000', '--to', '1000'], '--to', /--to must be after --from/],
  [[...EXPORT, '--format', 'xlsx'], '--format', /--format must be one of csv, ndjson, parquet/],
  [[...EXPORT, '--time', 'local'], '--time', /--time must be ms or iso/],
  [[...EXPORT, '--out', ''], '--out', /--out needs a value/],
  [[...EXPORT, '--formt', 'csv'], '--formt', /Unknown option '--formt'/],
  [[...EXPORT, '--out'], '--out', /--out/],
  [[...EXPORT, 'extra'], '', /unexpected argument "extra"/],
  [[...EXPORT, '--table', 'x'], '--table', /--table must be 3 to 255/],
  [[...EXPORT, '--endpoint', 'localhost:8000'], '--endpoint', /--endpoint must be an http\(s\) URL/],
  [[...EXPORT, '--region', 'us-east-1'], '--table', /--table is required to read AWS/],
  [[...EXPORT, '--local', '/tmp/x', '--region', 'us-east-1'], '--region', /--local the local servers/],
  [[...EXPORT, '--local', '/tmp/x', '--endpoint', 'http://127.0.0.1:8000'], '--endpoint', /give one of them/],
  [[...AUDIT, '--html', ''], '--html', /--html needs a value/],
  [[...AUDIT, '--json=yes'], '--json', /--json/],
  [['audit', '--to', '1000'], '--from', /--from is required/],
  [[...AUDIT, '--format', 'csv'], '--format', /Unknown option '--format'/],
];

describe('parseCliArgs()', () => {
  it.each(BAD)('rejects %j naming %s', (argv, flag, message) => {
    // Act
    const parse = () => parseCliArgs(argv, {});
    // Assert
    expect(parse).toThrow(ArgumentError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as ArgumentError).flag).toBe(flag);
      expect((error as ArgumentError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('reads the kept local servers by default, and AWS with --table', () => {
    // Act
    const local = parseCliArgs(EXPORT, {});
    const aws = parseCliArgs([...EXPORT, '--table', 'rows', '--region', 'eu-west-1'], {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    });
    // Assert
    expect(local).toMatchObject({ source: { kind: 'local', table: 'secondrow-demo' } });
    expect(local.command === 'export' && local.source.kind === 'local' && local.source.dir).toMatch(
      /\.secondrow\/local$/,
    );
    expect(aws).toMatchObject({
      source: { kind: 'aws', table: 'rows', region: 'eu-west-1', endpoint: 'http://127.0.0.1:8000' },
    });
  });

  it('takes the format from --out, ISO times with zones, and dates as UTC midnight', () => {
    // Act
    const parsed = parseCliArgs(
      [
        'export',
        '--device',
        'd',
        '--from',
        '2024-12-04',
        '--to',
        '2024-12-04T09:00+01:00',
        '--out',
        'a.parquet',
      ],
      {},
    );
    // Assert
    expect(parsed).toMatchObject({
      format: 'parquet',
      fromMs: Date.UTC(2024, 11, 4),
      toMs: Date.UTC(2024, 11, 4, 8),
      time: 'ms',
    });
  });
});

describe('runCli()', () => {
  it.each(BAD)('exits 2 with a message for %j', async (argv, _flag, message) => {
    // Prepare
    const io = testIo();
    // Act
    const code = await runCli(argv, io);
    // Assert
    expect(code).toBe(2);
    expect(io.stderr.text).toMatch(message);
    expect(io.stdout.text).toBe('');
  });

  it('exits 2 naming the demo when the local directory holds no data', async () => {
    // Prepare
    const io = testIo();
    // Act
    const code = await runCli([...EXPORT, '--local', '/nonexistent/secondrow'], io);
    // Assert
    expect(code).toBe(2);
    expect(io.stderr.text).toContain('no local data in /nonexistent/secondrow: run pnpm demo --keep first');
  });

  it.each([['--help'], ['export', '--help'], ['audit', '-h'], []])(
    'prints help for %j and exits 0',
    async (...argv) => {
      // Prepare
      const io = testIo();
      // Act
      const code = await runCli(argv, io);
      // Assert
      expect(code).toBe(0);
      expect(io.stdout.text).toMatch(/^Usage: secondrow/);
    },
  );

  it('refuses Parquet to a terminal', async () => {
    // Prepare
    const io = testIo();
    io.stdout.isTTY = true;
    // Act
    const code = await runCli([...EXPORT, '--format', 'parquet'], io);
    // Assert
    expect(code).toBe(2);
    expect(io.stderr.text).toContain('Parquet is binary');
  });
});
