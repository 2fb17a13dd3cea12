import { ProgressBar } from '@secondrow/devkit';

/** What the demo is doing, for the progress display. */
export interface ProgressState {
  /** What runs, e.g. the pass's name (`pass 1/2 (batch size 500)`); each pass counts from 0. */
  phase: string;
  /** Samples recorded by the watches so far. */
  recorded: number;
  /** Samples the run will record, about. */
  expected: number;
  /** Records Kinesis accepted. */
  accepted: number;
  /** Accepted records the consumer stored: the handler acknowledged them (not in `batchItemFailures`). */
  stored: number;
  /** New samples the consumer's store reported stored. */
  samplesStored?: number;
  /** Runner invocations that retried a failed batch. */
  retries?: number;
  /** A remark such as an ongoing outage. */
  note?: string;
}

/** Shows progress on a stream; call `update` as often as you like, `done` at the end. */
export interface ProgressReporter {
  update(state: ProgressState): void;
  done(): void;
}

/**
 * The demo's progress on devkit's {@link ProgressBar}: redrawn in place (at most every 100 ms) when `stream`
 * is a TTY, else one plain line every `plainIntervalMs`. Both go to `stream` (stderr by default), never to
 * stdout, so `--json` stays clean.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  plainIntervalMs = 5_000,
): ProgressReporter {
  const bar = new ProgressBar({ stream, plainIntervalMs });
  return {
    update(s) {
      const fraction = s.expected > 0 ? Math.min(1, s.recorded / s.expected) : 0;
      const storedFraction = s.accepted > 0 ? s.stored / s.accepted : 0;
      const seconds = bar.elapsedSeconds().toFixed(1);
      const samples = s.samplesStored === undefined ? '' : `  samples stored ${s.samplesStored}`;
      const retries = s.retries === undefined ? '' : `  batch retries ${s.retries}`;
      const note = s.note ? `  [${s.note}]` : '';
      bar.update(
        fraction,
        `${s.phase}: produced ${(fraction * 100).toFixed(0).padStart(3)}%  stored ${s.stored}/${s.accepted} records (${(storedFraction * 100).toFixed(0)}%)${samples}${retries}  ${seconds}s${note}`,
      );
    },
    done() {
      bar.finish();
    },
  };
}
