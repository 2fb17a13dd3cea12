/** CPU time of this process in ms: throughput per core, unaffected by other processes on the machine. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Calls per CPU-second of `fn`, run for about `ms` of CPU time after `warmups` calls that let the JIT
 * optimize first.
 */
export function rate(fn: () => void, ms: number, warmups = 3): number {
  for (let i = 0; i < warmups; i++) fn();
  let calls = 0;
  const start = cpuMs();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = cpuMs() - start;
  } while (elapsed < ms);
  return (calls * 1000) / elapsed;
}

/** `global.gc` when node runs with `--expose-gc` (the codec bench does). */
const collect = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;

/**
 * Calls per CPU-second of `a` and of `b`, each paying for its own garbage: every measurement starts after a
 * full collection and ends with a young-generation one inside the timed span (with `--expose-gc`), in the order a, b, b, a so
 * neither always runs first; each side's rate is the mean of its two measurements of about `ms / 2` of CPU.
 * Measured one after the other without this, whichever ran second paid for garbage the first left (avsc
 * against itself came out 0.8x on encode and 1.1x on decode).
 */
export function pairedRates(a: () => void, b: () => void, ms: number, warmups = 3): [number, number] {
  const one = (fn: () => void): number => {
    for (let i = 0; i < warmups; i++) fn();
    collect?.();
    let calls = 0;
    const start = cpuMs();
    do {
      fn();
      calls++;
    } while (cpuMs() - start < ms / 2);
    // What a pass leaves is young garbage: a scavenge inside the timing charges it to its maker without
    // charging a mark of the whole heap (a major collection here took a third of some measurements).
    collect?.({ type: 'minor' });
    return (calls * 1000) / (cpuMs() - start);
  };
  const a1 = one(a);
  const b1 = one(b);
  const b2 = one(b);
  const a2 = one(a);
  return [(a1 + a2) / 2, (b1 + b2) / 2];
}
