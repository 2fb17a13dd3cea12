import { describe, expect, it } from 'vitest';
import { Prng } from '../src/prng.js';

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    // Prepare
    const a = new Prng('seed');
    const b = new Prng('seed');
    const c = new Prng('other');
    // Act
    const xs = Array.from({ length: 5 }, () => a.next());
    const ys = Array.from({ length: 5 }, () => b.next());
    const zs = Array.from({ length: 5 }, () => c.next());
    // Assess
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers within bounds and normals around 0', () => {
    const prng = new Prng(1);
    const ints = Array.from({ length: 1000 }, () => prng.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    const normals = Array.from({ length: 2000 }, () => prng.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
  });

  it('makes version-4 UUIDs', () => {
    expect(new Prng('u').uuidV4()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
