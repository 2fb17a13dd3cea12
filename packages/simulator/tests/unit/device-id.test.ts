import { deviceId, deviceIds, isCognitoStyleId } from '@secondrow/simulator';
import { describe, expect, it } from 'vitest';

describe('deviceId()', () => {
  it('is a Cognito-style id, the same for the same seed and index', () => {
    expect(deviceId('demo', 3)).toBe(deviceId('demo', 3));
    expect(isCognitoStyleId(deviceId('demo', 3))).toBe(true);
    expect(deviceId('demo', 3).startsWith('us-east-1:')).toBe(true);
  });

  it('gives distinct ids to distinct indexes and seeds', () => {
    const ids = deviceIds('demo', 100);
    expect(new Set(ids).size).toBe(100);
    expect(deviceIds('other', 1)[0]).not.toBe(ids[0]);
  });
});
