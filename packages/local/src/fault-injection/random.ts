/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/**
 * A deterministic PRNG (mulberry32): the same seed gives the same sequence, so a faulty run can be
 * replayed exactly. Not for cryptography.
 *
 * @param seed - Any integer; only its low 32 bits matter.
 * @returns A function returning uniform numbers in [0, 1).
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
