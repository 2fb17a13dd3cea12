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
