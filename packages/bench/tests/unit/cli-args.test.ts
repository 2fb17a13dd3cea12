import { DYNAMODB_PRICES } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from '../../src/cli-args.js';
import { ArgumentError } from '../../src/errors.js';
import { DEFAULT_PIPELINE_ASSUMPTIONS } from '../../src/pipeline-run.js';
import { DEFAULT_PIPELINE_PRICES } from '../../src/price-file.js';

describe('parseCli()', () => {
  it('gives the documented defaults with no flags', () => {
    // Act
    const options = parseCli([]);
    // Assess
    expect(options).toMatchObject({
      help: false,
      data: undefined,
      synthetic: undefined,
      layouts: undefined,
      strategies: undefined,
      noStrategies: false,
      json: false,
      html: undefined,
      measureItems: 3500,
      strategyItems: 250,
      strategySamples: 12_000,
      flushSeconds: 30,
    });
    expect(options.usage).toEqual({
      fleet: 1000,
      activeHoursPerDay: 24,
      retentionDays: 30,
      readsPerDeviceHour: 1,
      provisionedTargetUtilization: 0.7,
    });
    expect(options.prices).toEqual(DYNAMODB_PRICES);
  });

  it('reads lists, numbers, synthetic data and price overrides', () => {
    // Act
    const options = parseCli([
      '--layouts',
      'per-sample, per-second-avro',
      '--strategies=batch-write',
      '--no-strategies',
      '--synthetic-rate',
      '100',
      '--synthetic-devices',
      '3',
      '--fleet',
      '50',
      '--price-wru',
      '1.25',
      '--json',
    ]);
    // Assess
    expect(options.layouts).toEqual(['per-sample', 'per-second-avro']);
    expect(options.strategies).toEqual(['batch-write']);
    expect(options.noStrategies).toBe(true);
    expect(options.synthetic).toEqual({ rateHz: 100, devices: 3, seconds: 60 });
    expect(options.usage.fleet).toBe(50);
    expect(options.prices.onDemandWriteUsdPerMillion).toBe(1.25);
    expect(options.prices.source).toContain('--price-wru');
    expect(options.json).toBe(true);
  });

  it('resolves --data and --html against the directory pnpm was started in', () => {
    // Prepare
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = '/repo';
    try {
      // Act
      const options = parseCli(['--data', '../recordings/accel,/abs/file.csv', '--html', 'out/report.html']);
      // Assess
      expect(options.data).toEqual(['/recordings/accel', '/abs/file.csv']);
      expect(options.html).toBe('/repo/out/report.html');
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
  });

  it.each([
    [['--fleet', 'many'], 'fleet'],
    [['--fleet', '1.5'], 'fleet'],
    [['--utilization', '2'], 'utilization'],
    [['--synthetic-rate', '0'], 'synthetic-rate'],
    [['--data', 'x.csv', '--synthetic-rate', '50'], 'data'],
    [['--bogus'], ''],
  ])('rejects %j naming the flag', (argv, flag) => {
    // Act
    const act = () => parseCli(argv);
    // Assess
    expect(act).toThrow(ArgumentError);
    try {
      act();
    } catch (error) {
      expect((error as ArgumentError).flag).toBe(flag);
      expect((error as ArgumentError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('documents every flag in --help', () => {
    // Assess
    for (const flag of [
      '--data',
      '--synthetic-rate',
      '--synthetic-devices',
      '--synthetic-seconds',
      '--layouts',
      '--strategies',
      '--no-strategies',
      '--flush-seconds',
      '--fleet',
      '--active-hours',
      '--retention-days',
      '--reads-per-device-hour',
      '--utilization',
      '--price-wru',
      '--price-rru',
      '--price-storage',
      '--price-wcu-hour',
      '--price-rcu-hour',
      '--measure-items',
      '--strategy-items',
      '--strategy-samples',
      '--json',
      '--html',
      '--quiet',
      '--help',
      '--pipeline',
      '--rate',
      '--prices',
      '--lambda-memory',
      '--dynamodb-ms',
      '--failure-rate',
    ]) {
      expect(HELP).toContain(flag);
    }
  });

  it('reads the pipeline flags into its assumptions, a year of rows by default', () => {
    // Act
    const options = parseCli([
      '--pipeline',
      '--fleet',
      '250',
      '--rate',
      '100',
      '--lambda-memory',
      '512',
      '--dynamodb-ms',
      '5',
      '--failure-rate',
      '0.01',
    ]);
    // Assess
    expect(options.pipeline).toBe(true);
    expect(options.synthetic).toEqual({ rateHz: 100, devices: 1, seconds: 300 });
    expect(options.pipelineUsage).toEqual({
      ...DEFAULT_PIPELINE_ASSUMPTIONS,
      fleet: 250,
      retentionDays: 365,
      lambdaMemoryMb: 512,
      dynamodbRoundTripMs: 5,
      failedBatchFraction: 0.01,
    });
    expect(options.pipelinePrices).toEqual(DEFAULT_PIPELINE_PRICES);
  });

  it('rejects pipeline flags without --pipeline, layout flags with it, and bad values at parse', () => {
    for (const [argv, flag] of [
      [['--rate', '50'], 'rate'],
      [['--failure-rate', '0.1'], 'failure-rate'],
      [['--pipeline', '--layouts', 'per-sample'], 'layouts'],
      [['--pipeline', '--no-strategies'], 'no-strategies'],
      [['--pipeline', '--rate', '50', '--data', 'x.csv'], 'rate'],
      [['--pipeline', '--rate', '0'], 'rate'],
      [['--pipeline', '--failure-rate', '2'], 'failure-rate'],
      [['--pipeline', '--lambda-memory', '64'], 'lambda-memory'],
      [['--pipeline', '--prices', '/nonexistent/prices.json'], 'prices'],
    ] as const) {
      // Act
      let caught: unknown;
      try {
        parseCli(argv);
      } catch (error) {
        caught = error;
      }
      // Assess
      expect(caught, argv.join(' ')).toBeInstanceOf(ArgumentError);
      expect((caught as ArgumentError).flag, argv.join(' ')).toBe(flag);
    }
  });
});
