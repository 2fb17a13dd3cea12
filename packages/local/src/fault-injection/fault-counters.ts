/**
 * What a proxy did to requests: the injected faults, plus the AWS behaviours it added on top of the
 * upstream (`oldItemReturned`, `recordThrottled`, `limitRejected`).
 */
export type InjectedKind =
  | 'throttle'
  | 'serverError'
  | 'resetBeforeUpstream'
  | 'resetAfterUpstream'
  | 'latency'
  | 'oldItemReturned'
  | 'recordThrottled'
  | 'limitRejected';

/** A copy of a proxy's counters; changing it changes nothing in the proxy. */
export interface FaultCountsSnapshot {
  /** Count per kind; kinds never injected are absent. */
  byKind: Partial<Record<InjectedKind, number>>;
  /** Count per operation, then per kind. */
  byOperation: Record<string, Partial<Record<InjectedKind, number>>>;
}

/** Counts injected faults by kind and by operation. One instance per proxy. */
export class FaultCounters {
  #byKind = new Map<InjectedKind, number>();
  #byOperation = new Map<string, Map<InjectedKind, number>>();

  /** Adds `n` (default 1) events of `kind` on `operation`. */
  add(kind: InjectedKind, operation: string, n = 1): void {
    if (n === 0) return;
    this.#byKind.set(kind, (this.#byKind.get(kind) ?? 0) + n);
    let perOperation = this.#byOperation.get(operation);
    if (perOperation === undefined) {
      perOperation = new Map();
      this.#byOperation.set(operation, perOperation);
    }
    perOperation.set(kind, (perOperation.get(kind) ?? 0) + n);
  }

  /** The counts so far. */
  snapshot(): FaultCountsSnapshot {
    const byOperation: FaultCountsSnapshot['byOperation'] = {};
    for (const [operation, counts] of this.#byOperation) byOperation[operation] = Object.fromEntries(counts);
    return { byKind: Object.fromEntries(this.#byKind), byOperation };
  }

  /** Sets every count back to zero. */
  reset(): void {
    this.#byKind.clear();
    this.#byOperation.clear();
  }
}
