import { describe, expect, it } from 'vitest';
import { isStoreError, StoreError } from '../../src/dynamodb.js';
import { CodecError, isCodecError } from '../../src/index.js';
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

  it('is a CodecError, recognised by isCodecError', () => {
    const error = new StoreError('UNAVAILABLE', 'reset');
    expect(error).toBeInstanceOf(CodecError);
    expect(isCodecError(error)).toBe(true);
  });

  it('is retryable for every code but INCOMPATIBLE_ITEM unless told otherwise', () => {
    for (const code of [
      'THROTTLED',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'CONFLICT_RETRIES_EXHAUSTED',
      'DYNAMODB_ERROR',
    ] as const) {
      expect(new StoreError(code, 'x').retryable).toBe(true);
    }
    expect(new StoreError('INCOMPATIBLE_ITEM', 'x').retryable).toBe(false);
    expect(new StoreError('DYNAMODB_ERROR', 'x', { retryable: false }).retryable).toBe(false);
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
