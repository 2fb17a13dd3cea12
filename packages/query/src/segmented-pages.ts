/**
 * Reads consecutive parts of a range at once and hands their pages over in order. Each part is read by its
 * own iterator (e.g. one DynamoDB `Query` each); a part other than the one being handed over reads at most
 * `readAhead` pages ahead and then waits, so memory stays bounded whatever the range.
 */
export class SegmentedPages<T> {
  private readonly lanes: Array<{ queue: T[]; done: boolean; wakeReader: (() => void) | undefined }>;
  private readonly running: Promise<void>[];
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private wakeConsumer: (() => void) | undefined;

  /**
   * Starts reading every part at once.
   *
   * @param parts - one page iterator per part, in range order.
   * @param readAhead - pages a part may hold before it is handed over, a positive integer.
   */
  constructor(
    private readonly parts: ReadonlyArray<AsyncIterator<T>>,
    private readonly readAhead: number,
  ) {
    this.lanes = parts.map(() => ({ queue: [], done: false, wakeReader: undefined }));
    this.running = parts.map((part, i) => this.pump(part, i));
  }

  private notify(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private async pump(part: AsyncIterator<T>, index: number): Promise<void> {
    const lane = this.lanes[index] as SegmentedPages<T>['lanes'][number];
    try {
      for (;;) {
        while (lane.queue.length >= this.readAhead && !this.stopped) {
          await new Promise<void>((resolve) => {
            lane.wakeReader = resolve;
          });
        }
        if (this.stopped) return;
        const next = await part.next();
        if (next.done === true) return;
        lane.queue.push(next.value);
        this.notify();
      }
    } catch (error) {
      this.failure ??= { error };
    } finally {
      lane.done = true;
      this.notify();
    }
  }

  /**
   * The pages of every part, in order. A part's failure is thrown as soon as it happens (the first one only).
   * Stopping early (`break`, a throw) stops the reads: call {@link SegmentedPages.close} after.
   */
  async *pages(): AsyncGenerator<T, void, undefined> {
    for (const lane of this.lanes) {
      for (;;) {
        if (this.failure !== undefined) throw this.failure.error;
        const page = lane.queue.shift();
        if (page !== undefined) {
          const wake = lane.wakeReader;
          lane.wakeReader = undefined;
          wake?.();
          yield page;
          continue;
        }
        if (lane.done) break;
        await new Promise<void>((resolve) => {
          this.wakeConsumer = resolve;
        });
      }
    }
    if (this.failure !== undefined) throw this.failure.error;
  }

  /** Stops every read (after its page in flight) and releases the parts' iterators; never throws. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes) {
      const wake = lane.wakeReader;
      lane.wakeReader = undefined;
      wake?.();
      lane.queue.length = 0;
    }
    await Promise.all(this.running);
    await Promise.all(this.parts.map((part) => part.return?.().catch(() => undefined)));
  }
}
