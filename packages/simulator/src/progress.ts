/** What the demo is doing, for the progress display. */
export interface ProgressState {
  phase: string;
  /** Samples recorded by the watches so far. */
  recorded: number;
  /** Samples the run will record, about. */
  expected: number;
  /** Records Kinesis accepted. */
  accepted: number;
  /** Accepted records the consumer stored. */
  stored: number;
}

/** Shows progress on a stream; call `update` as often as you like, `done` at the end. */
export interface ProgressReporter {
  update(state: ProgressState): void;
  done(): void;
}

/**
 * A progress bar redrawn in place (at most every 100 ms) when `stream` is a TTY, else one plain line
 * every `plainIntervalMs`. Both go to `stream` (stderr by default), never to stdout, so `--json` stays clean.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  plainIntervalMs = 5_000,
): ProgressReporter {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let last = tty ? 0 : started;
  let drawn = false;
  const line = (s: ProgressState): string => {
    const fraction = s.expected > 0 ? Math.min(1, s.recorded / s.expected) : 0;
    const storedFraction = s.accepted > 0 ? s.stored / s.accepted : 0;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${s.phase.padEnd(9)} produced ${(fraction * 100).toFixed(0).padStart(3)}%  records stored ${s.stored}/${s.accepted} (${(storedFraction * 100).toFixed(0)}%)  ${seconds}s`;
  };
  return {
    update(state) {
      const now = performance.now();
      if (tty) {
        if (now - last < 100) return;
        last = now;
        const width = 24;
        const filled = Math.round(
          width * (state.expected > 0 ? Math.min(1, state.recorded / state.expected) : 0),
        );
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line(state)}\u001b[K`);
        drawn = true;
      } else if (now - last >= plainIntervalMs) {
        last = now;
        stream.write(`${line(state)}\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\r\u001b[K');
    },
  };
}
