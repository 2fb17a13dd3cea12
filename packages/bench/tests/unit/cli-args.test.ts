import { DYNAMODB_PRICES } from '@secondrow/devkit';
import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from '../../src/cli-args.js';
import { ArgumentError } from '../../src/errors.js';

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
    ]) {
      expect(HELP).toContain(flag);
    }
  });
});
