import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatViewState, parseViewState } from '../../src/page/url-state.js';

describe('view state in the URL', () => {
  it('reads back every state it writes', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 2 ** 52 }), fc.integer({ min: 1, max: 2 ** 40 })), {
          nil: undefined,
        }),
        (device, range) => {
          const state = {
            ...(device === undefined ? {} : { device }),
            ...(range === undefined ? {} : { from: range[0], to: range[0] + range[1] }),
          };
          expect(parseViewState(formatViewState(state))).toEqual(state);
        },
      ),
    );
  });

  it('keeps a device id with reserved characters intact', () => {
    const search = formatViewState({ device: 'us-east-1:ab/cd?e&f=g', from: 1, to: 2 });
    expect(search).toBe('?device=us-east-1%3Aab%2Fcd%3Fe%26f%3Dg&from=1&to=2');
    expect(parseViewState(search).device).toBe('us-east-1:ab/cd?e&f=g');
  });

  it('drops a range that is not two whole epoch ms in order, keeping the device', () => {
    expect(parseViewState('?device=w&from=10&to=5')).toEqual({ device: 'w' });
    expect(parseViewState('?device=w&from=10&to=10')).toEqual({ device: 'w' });
    expect(parseViewState('?device=w&from=1.5&to=5')).toEqual({ device: 'w' });
    expect(parseViewState('?device=w&from=-1&to=5')).toEqual({ device: 'w' });
    expect(parseViewState('?from=1&to=2x')).toEqual({});
    expect(parseViewState('?from=1')).toEqual({});
    expect(parseViewState('device=w&from=1&to=2')).toEqual({ device: 'w', from: 1, to: 2 });
    expect(parseViewState('')).toEqual({});
    expect(formatViewState({})).toBe('');
  });
});
