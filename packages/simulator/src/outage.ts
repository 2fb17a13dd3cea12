import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ITEM_ATTRIBUTES } from '@secondrow/codec';
import type { DynamoFaultProxy, FaultOptions } from '@secondrow/local';
import { CONSUMER_OPERATIONS } from './aws-faults.js';

/** What a DynamoDB outage cost: how hard the consumer pressed on the throttled table meanwhile. */
export interface OutageReport {
  /** Planned length of the outage, s. */
  seconds: number;
  /** Requests of the consumer (PutItem, GetItem) sent while every one was throttled. */
  requests: number;
  /** Throttles the proxy counted meanwhile (the same requests, seen from the table's side). */
  throttled: number;
  /** Distinct rows (device, window) those requests were for. */
  rows: number;
  /** `requests / rows`: what each throttled row cost while the table was down. */
  requestsPerRow: number;
  /** The most requests any one row made during the outage. */
  maxRequestsPerRow: number;
}

/** Name of the counting middleware on the DynamoDB client. */
const MIDDLEWARE = 'secondrowOutageMeter';

/**
 * Throttles every DynamoDB request of the consumer for `durationMs` once started, then puts `restore` back;
 * meanwhile counts the consumer's requests per row (a middleware on its client) and the proxy's throttles.
 */
export class OutageMeter {
  readonly #proxy: DynamoFaultProxy;
  readonly #client: DynamoDBClient;
  readonly #durationMs: number;
  readonly #restore: FaultOptions;
  readonly #perRow = new Map<string, number>();
  #state: 'waiting' | 'active' | 'over' = 'waiting';
  #timer: NodeJS.Timeout | undefined;
  #throttledBefore = 0;
  #throttled = 0;

  constructor(proxy: DynamoFaultProxy, client: DynamoDBClient, durationMs: number, restore: FaultOptions) {
    this.#proxy = proxy;
    this.#client = client;
    this.#durationMs = durationMs;
    this.#restore = restore;
  }

  /** True while every request is throttled. */
  get active(): boolean {
    return this.#state === 'active';
  }

  /** Starts the outage (once; later calls do nothing). */
  start(): void {
    if (this.#state !== 'waiting') return;
    this.#state = 'active';
    this.#throttledBefore = this.#throttleCount();
    this.#client.middlewareStack.add(
      (next) => async (args) => {
        if (this.#state === 'active') {
          const key = rowKey(args.input as Record<string, unknown>);
          if (key !== undefined) this.#perRow.set(key, (this.#perRow.get(key) ?? 0) + 1);
        }
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE },
    );
    this.#proxy.setFaults({ throttle: 1, operations: CONSUMER_OPERATIONS });
    this.#timer = setTimeout(() => this.stop(), this.#durationMs);
  }

  /** Ends the outage now if it is running (the demo calls it when the pass ends, too). */
  stop(): void {
    clearTimeout(this.#timer);
    if (this.#state !== 'active') return;
    this.#state = 'over';
    this.#proxy.setFaults(this.#restore);
    this.#throttled = this.#throttleCount() - this.#throttledBefore;
    this.#client.middlewareStack.remove(MIDDLEWARE);
  }

  /** The figures, or `undefined` when the outage never started. */
  report(): OutageReport | undefined {
    if (this.#state === 'waiting') return undefined;
    let requests = 0;
    let max = 0;
    for (const n of this.#perRow.values()) {
      requests += n;
      max = Math.max(max, n);
    }
    const rows = this.#perRow.size;
    return {
      seconds: this.#durationMs / 1000,
      requests,
      throttled: this.#throttled,
      rows,
      requestsPerRow: rows > 0 ? requests / rows : 0,
      maxRequestsPerRow: max,
    };
  }

  #throttleCount(): number {
    return this.#proxy.counts().byKind.throttle ?? 0;
  }
}

/** `device@windowStart` of a PutItem (`Item`) or GetItem (`Key`) input; `undefined` for other commands. */
function rowKey(input: Record<string, unknown>): string | undefined {
  const item = (input.Item ?? input.Key) as Record<string, { S?: string; N?: string }> | undefined;
  const device = item?.[ITEM_ATTRIBUTES.deviceId]?.S;
  const start = item?.[ITEM_ATTRIBUTES.windowStart]?.N;
  return device === undefined || start === undefined ? undefined : `${device}@${start}`;
}
