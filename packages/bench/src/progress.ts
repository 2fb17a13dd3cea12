/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Stream to draw on; the bar only draws on a TTY. Default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Draw nothing at all. */
  quiet?: boolean;
  /** Wait this long before drawing, so short runs stay silent, ms. Default 1500. */
  delayMs?: number;
}

/**
 * A one-line progress bar on stderr: `[#######.............]  12/40  layout per-sample`. It appears only after
 * `delayMs` and only on a terminal, so piped output and short runs stay clean.
 */
export class Progress {
  private done = 0;
  private label = '';
  private readonly started = Date.now();
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly delayMs: number;
  private drawn = false;

  constructor(
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.quiet !== true && this.stream.isTTY === true;
    this.delayMs = options.delayMs ?? 1500;
  }

  /** Names the step now running. */
  start(label: string): void {
    this.label = label;
    this.draw();
  }

  /** Marks one step done. */
  tick(): void {
    this.done = Math.min(this.total, this.done + 1);
    this.draw();
  }

  /** Erases the bar. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.enabled || Date.now() - this.started < this.delayMs) return;
    const width = 24;
    const filled = Math.round((this.done / Math.max(1, this.total)) * width);
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(0);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${elapsed}s ${this.label}`;
    this.stream.write(`\r\x1b[K${line.slice(0, (this.stream.columns ?? 100) - 1)}`);
    this.drawn = true;
  }
}
