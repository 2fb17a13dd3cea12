import { describe, expect, it } from 'vitest';
import { main, parseRunnerArgs, RUNNER_USAGE, UsageError } from '../../src/runner-cli.js';

describe('parseRunnerArgs()', () => {
  it('maps flags onto runEventSource options', () => {
    // Act
    const args = parseRunnerArgs([
      '--stream',
      'samples',
      '--handler',
      './dist-lambda/index.mjs#handler',
      '--endpoint',
      'http://127.0.0.1:4567',
      '--batch-size',
      '500',
      '--batching-window-ms',
      '1000',
      '--bisect',
      '--max-retries',
      '3',
      '--max-record-age-s',
      '3600',
      '--starting-position',
      'LATEST',
      '--idle-ms',
      '5000',
      '--timeout-ms',
      '60000',
      '--memory-mb',
      '256',
      '--env',
      'TABLE_NAME=rows',
      '--env',
      'A=b=c',
    ]);

    // Assess
    expect(args).toMatchObject({
      streamName: 'samples',
      handlerModule: './dist-lambda/index.mjs',
      handlerExport: 'handler',
      endpoint: 'http://127.0.0.1:4567',
      env: { TABLE_NAME: 'rows', A: 'b=c' },
      run: {
        batchSize: 500,
        batchingWindowMs: 1000,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 3,
        maximumRecordAgeSeconds: 3600,
        startingPosition: 'LATEST',
        stopWhenIdleMs: 5000,
        function: { timeoutMs: 60000, memoryLimitInMB: 256 },
      },
    });
  });

  it('maps --no-bisect and the backoff flags', () => {
    const args = parseRunnerArgs([
      '--stream',
      's',
      '--no-bisect',
      '--retry-base-delay-ms',
      '50',
      '--retry-max-delay-ms',
      '400',
    ]);
    expect(args.run).toEqual({
      bisectBatchOnFunctionError: false,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 400,
    });
  });

  it('defaults the export to handler and --follow to no idle stop', () => {
    const args = parseRunnerArgs(['--stream', 's', '--handler', 'h.js', '--follow']);
    expect(args.handlerExport).toBe('handler');
    expect(args.run.stopWhenIdleMs).toBe(Number.POSITIVE_INFINITY);
  });

  it("defaults --handler to the consumer's public handler export", () => {
    const args = parseRunnerArgs(['--stream', 's']);
    expect(args.handlerModule).toBe('@secondrow/consumer');
    expect(args.handlerExport).toBe('handler');
  });

  it.each([
    [['--handler', 'h.js'], /--stream/],
    [['--stream', 's', '--handler', 'h.js', '--batch-size', 'ten'], /integer/],
    // Number('') is 0 and Number('0x10') is 16: a strict flag accepts neither.
    [['--stream', 's', '--handler', 'h.js', '--batch-size', ''], /--batch-size needs an integer/],
    [['--stream', 's', '--handler', 'h.js', '--idle-ms', '0x10'], /--idle-ms must be an integer/],
    [['--stream', 's', '--handler', 'h.js', '--memory-mb', '512MB'], /--memory-mb must be an integer/],
    [['--stream', 's', '--handler', 'h.js', '--starting-position', 'NOW'], /TRIM_HORIZON/],
    [['--stream', 's', '--handler', 'h.js', '--env', 'NOVALUE'], /KEY=VALUE/],
    [['--stream', 's', '--handler', 'h.js', '--bogus'], /bogus/],
    // Ranges are checked when parsed, before any stream or handler is touched.
    [['--stream', 's', '--batch-size', '10001'], /batchSize must be an integer in \[1, 10000\]/],
    [['--stream', 's', '--batching-window-ms', '300001'], /batchingWindowMs/],
    [['--stream', 's', '--max-retries=-2'], /maximumRetryAttempts/],
    [['--stream', 's', '--max-record-age-s', '604801'], /maximumRecordAgeSeconds/],
    [['--stream', 's', '--retry-base-delay-ms=-1'], /retryBaseDelayMs/],
    [['--stream', 's', '--retry-base-delay-ms', '500', '--retry-max-delay-ms', '100'], /retryMaxDelayMs/],
    [['--stream', 's', '--bisect', '--no-bisect'], /contradict/],
    [['--stream', 's', '--timeout-ms', '0'], /timeoutMs/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseRunnerArgs(argv)).toThrow(UsageError);
    expect(() => parseRunnerArgs(argv)).toThrow(message);
  });
});

describe('main()', () => {
  it('prints the usage for --help', async () => {
    const out: string[] = [];
    const status = await main(['--help'], { out: (line) => out.push(line), err: () => {} });
    expect(status).toBe(0);
    expect(out).toEqual([RUNNER_USAGE]);
  });

  it('exits with 2 on an out-of-range setting without reaching the endpoint', async () => {
    const err: string[] = [];
    // Nothing listens on port 9: getting that far would fail with a connection error and status 1.
    const status = await main(
      ['--stream', 's', '--endpoint', 'http://127.0.0.1:9', '--create-stream', '1', '--batch-size', '0'],
      { out: () => {}, err: (line) => err.push(line) },
    );
    expect(status).toBe(2);
    expect(err.join('\n')).toContain('batchSize');
  });

  it('exits with 2 and the usage on a usage error', async () => {
    const err: string[] = [];
    const status = await main(['--stream'], { out: () => {}, err: (line) => err.push(line) });
    expect(status).toBe(2);
    expect(err.join('\n')).toContain('Usage: secondrow-runner');
  });
});
