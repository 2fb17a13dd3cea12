import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../src/demo-args.js';
import { InvalidSimulatorOptionError } from '../../src/errors.js';

describe('parseDemoArgs()', () => {
  it('reads numbers, the format and the switches', () => {
    const args = parseDemoArgs(['--devices', '4', '--duration', '30', '--format', 'json-v1', '--json']);
    expect(args.help).toBe(false);
    expect(args.json).toBe(true);
    expect(args.options).toMatchObject({ devices: 4, durationSeconds: 30, format: 'json-v1' });
  });

  it.each([
    [['--devices', '4x'], 'devices', /--devices must be a number, got "4x"/],
    [['--duration', ''], 'duration', /--duration needs a number/],
    [['--rate', 'NaN'], 'rate', /--rate must be a number/],
    [['--format', 'xml'], 'format', /--format must be one of/],
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
