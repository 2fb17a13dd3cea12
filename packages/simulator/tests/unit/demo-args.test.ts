import { describe, expect, it } from 'vitest';
import { DEFAULT_AWS_FAULTS, NO_AWS_FAULTS } from '../../src/aws-faults.js';
import { runDemo } from '../../src/demo.js';
import { parseDemoArgs } from '../../src/demo-args.js';
import { InvalidSimulatorOptionError } from '../../src/errors.js';
import { NO_FAULTS } from '../../src/faults.js';

describe('parseDemoArgs()', () => {
  it('keeps the data in the default directory with a bare --keep, or in the one given', () => {
    expect(parseDemoArgs(['--keep']).options.keep).toMatch(/\.secondrow\/local$/);
    expect(parseDemoArgs(['--keep', '--devices', '2']).options).toMatchObject({ devices: 2 });
    expect(parseDemoArgs(['--keep', '--devices', '2']).options.keep).toMatch(/\.secondrow\/local$/);
    expect(parseDemoArgs(['--keep', '/tmp/kept']).options.keep).toBe('/tmp/kept');
    expect(parseDemoArgs([]).options.keep).toBeUndefined();
    expect(() => parseDemoArgs(['--keep='])).toThrow(InvalidSimulatorOptionError);
  });

  it('reads the transport and the broker faults', () => {
    expect(parseDemoArgs(['--transport', 'mqtt']).options).toMatchObject({ transport: 'mqtt' });
    expect(parseDemoArgs(['--transport', 'mqtt', '--lost-puback', '0.1']).options.brokerFaults).toEqual({
      dropsPerSecond: 4,
      lostPuback: 0.1,
    });
    expect(parseDemoArgs(['--faults', 'off']).options.brokerFaults).toBe(false);
    expect(parseDemoArgs(['--aws-faults', 'off', '--broker-drops', '2']).options.brokerFaults).toEqual({
      dropsPerSecond: 2,
      lostPuback: 0,
    });
    expect(parseDemoArgs([]).options.transport).toBeUndefined();
  });

  it('reads numbers, the format and the switches', () => {
    const args = parseDemoArgs(['--devices', '4', '--duration', '30', '--format', 'json-v1', '--json']);
    expect(args.help).toBe(false);
    expect(args.json).toBe(true);
    expect(args.options).toMatchObject({ devices: 4, durationSeconds: 30, format: 'json-v1' });
  });

  it('leaves the AWS faults at their defaults unless asked', () => {
    expect(parseDemoArgs([]).options.awsFaults).toBeUndefined();
  });

  it('turns every fault off with --faults off, and only the AWS ones with --aws-faults off', () => {
    expect(parseDemoArgs(['--faults', 'off']).options).toMatchObject({ faults: NO_FAULTS, awsFaults: false });
    const awsOnly = parseDemoArgs(['--aws-faults', 'off']).options;
    expect(awsOnly.awsFaults).toBe(false);
    expect(awsOnly.faults).toBeUndefined();
  });

  it('sets each AWS fault rate on top of the defaults, or of nothing after --faults off', () => {
    const args = parseDemoArgs([
      '--throttle',
      '0.1',
      '--reset-before',
      '0',
      '--reset-after',
      '0.03',
      '--server-errors',
      '0.01',
      '--latency-ms',
      '1',
      '--latency-jitter-ms',
      '0.5',
      '--kinesis-limits',
      'off',
      '--outage',
      '5',
    ]);
    expect(args.options.awsFaults).toEqual({
      throttle: 0.1,
      resetBefore: 0,
      resetAfter: 0.03,
      serverError: 0.01,
      latencyMs: 1,
      latencyJitterMs: 0.5,
      kinesisLimits: false,
    });
    expect(args.options.outageSeconds).toBe(5);
    expect(parseDemoArgs(['--faults', 'off', '--throttle', '0.2']).options.awsFaults).toEqual({
      ...NO_AWS_FAULTS,
      throttle: 0.2,
    });
    expect(parseDemoArgs(['--throttle', '0.2']).options.awsFaults).toEqual({
      ...DEFAULT_AWS_FAULTS,
      throttle: 0.2,
    });
  });

  it('rejects AWS fault rates that sum above 1 before starting anything', async () => {
    const { options } = parseDemoArgs(['--throttle', '0.6', '--reset-after', '0.6']);
    await expect(runDemo({ ...options, progress: false })).rejects.toThrow(/sum to at most 1/);
  });

  it.each([
    [['--throttle', '1.5'], 'throttle', /--throttle must be a number in \[0, 1\]/],
    [['--reset-before', '5%'], 'reset-before', /--reset-before must be a number/],
    [['--reset-after', ''], 'reset-after', /--reset-after needs a number/],
    [['--latency-ms=-1'], 'latency-ms', /--latency-ms must be a number/],
    [['--outage', 'ten'], 'outage', /--outage must be a number/],
    [['--kinesis-limits', 'yes'], 'kinesis-limits', /on or off/],
    [['--aws-faults', 'maybe'], 'aws-faults', /on or off/],
    [['--devices', '4x'], 'devices', /--devices must be a number, got "4x"/],
    [['--duration', ''], 'duration', /--duration needs a number/],
    [['--rate', 'NaN'], 'rate', /--rate must be a number/],
    [['--format', 'xml'], 'format', /--format must be one of/],
    [['--transport', 'http'], 'transport', /--transport must be one of kinesis, mqtt/],
    [['--transport', 'mqtt', '--format', 'json-v1'], 'format', /--format must be avro/],
    [['--broker-drops=-1'], 'broker-drops', /--broker-drops must be a number/],
    [['--lost-puback', '2'], 'lost-puback', /--lost-puback must be a number in \[0, 1\]/],
    [['--bogus'], '', /bogus/],
    [['--devices'], '', /devices/],
  ])('rejects %j with a typed error naming the flag', (argv, option, message) => {
    const act = () => parseDemoArgs(argv);
    expect(act).toThrow(InvalidSimulatorOptionError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect((error as InvalidSimulatorOptionError).option).toBe(option);
      expect((error as InvalidSimulatorOptionError).code).toBe('INVALID_OPTION');
    }
  });
});
