/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw; never stdout, so machine-readable output stays clean. Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Draw nothing at all. Default false. */
  quiet?: boolean;
  /** Draw nothing before this much time has passed, so short runs stay silent, ms. Default 0. */
  delayMs?: number;
  /** Least time between two redraws on a terminal, ms. Default 100. */
  redrawMs?: number;
  /**
   * When `stream` is not a terminal: print the text as a plain line at most this often, ms. Default: print
   * nothing (piped output stays clean).
   */
  plainIntervalMs?: number;
  /** Clock in ms, injectable for tests. Default `performance.now`. */
  now?: () => number;
}

/** Width of the bar in characters, between its brackets. */
const BAR_WIDTH = 24;

/**
 * A one-line progress bar redrawn in place on a terminal: `[#######.................] text`. Off a terminal
 * it prints the text as a plain line every `plainIntervalMs`, or nothing.
 *
 * @example
 * const bar = new ProgressBar({ delayMs: 1500 });
 * bar.update(3 / 40, '3/40 layout per-sample');
 * bar.finish();
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #enabled: boolean;
  readonly #delayMs: number;
  readonly #redrawMs: number;
  readonly #plainIntervalMs: number | undefined;
  readonly #now: () => number;
  readonly #started: number;
  #last: number;
  #drawn = false;

  constructor(options: ProgressBarOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#tty = this.#stream.isTTY === true;
    this.#plainIntervalMs = options.plainIntervalMs;
    this.#enabled = options.quiet !== true && (this.#tty || this.#plainIntervalMs !== undefined);
    this.#delayMs = options.delayMs ?? 0;
    this.#redrawMs = options.redrawMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
    this.#last = Number.NEGATIVE_INFINITY;
  }

  /** Seconds since the bar was made, for the caller's text. */
  elapsedSeconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  /**
   * Shows `fraction` done (clamped to [0, 1]) and `text`; redraws at most every `redrawMs`.
   *
   * @param fraction - Share of the work done.
   * @param text - What to show after the bar.
   */
  update(fraction: number, text: string): void {
    if (!this.#enabled) return;
    const now = this.#now();
    if (now - this.#started < this.#delayMs) return;
    if (this.#tty) {
      if (now - this.#last < this.#redrawMs) return;
      this.#last = now;
      const share = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      const filled = Math.round(BAR_WIDTH * share);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${text}`;
      this.#stream.write(`\r\x1b[K${line.slice(0, (this.#stream.columns ?? 120) - 1)}`);
      this.#drawn = true;
    } else if (now - this.#last >= (this.#plainIntervalMs ?? 0)) {
      // The first plain line waits a full interval, like the bar waits for `delayMs`.
      if (this.#last === Number.NEGATIVE_INFINITY) {
        this.#last = now;
        return;
      }
      this.#last = now;
      this.#stream.write(`${text}\n`);
    }
  }

  /** Erases the bar (plain lines stay). */
  finish(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
  }
}
