import { describe, expect, it } from 'vitest';
import { isStoreError, StoreError } from '../../src/dynamodb.js';
import { backoffDelayMs } from '../../src/store/backoff.js';

describe('isStoreError()', () => {
  it('recognises store errors by name and code and keeps the cause', () => {
    const cause = new Error('boom');
    const error = new StoreError('THROTTLED', 'slow down', { cause });
    expect(isStoreError(error)).toBe(true);
    expect(error.cause).toBe(cause);
    expect(isStoreError(new Error('other'))).toBe(false);
    expect(isStoreError({ name: 'StoreError', code: 'THROTTLED' })).toBe(false);
  });
});

describe('backoffDelayMs()', () => {
  it('draws from [0, min(max, base * 2^retry)) (full jitter)', () => {
    expect(backoffDelayMs(0, 10, 1000, () => 0.999)).toBe(9);
    expect(backoffDelayMs(3, 10, 1000, () => 0.5)).toBe(40);
    expect(backoffDelayMs(20, 10, 1000, () => 0.5)).toBe(500);
    expect(backoffDelayMs(5, 10, 1000, () => 0)).toBe(0);
  });
});
