import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidProxyOptionError, ProxyNotListeningError } from '../errors.js';
import { FaultCounters, type FaultCountsSnapshot } from './fault-counters.js';
import { drawFault, type FaultOptions, validateFaultOptions } from './fault-plan.js';
import { exchange, type HttpAnswer, readBody, relayableHeaders } from './http-exchange.js';
import { type RandomSource, seededRandom } from './random.js';

/** Options every fault proxy takes. */
export interface FaultProxyOptions {
  /** Base URL of the service behind the proxy, e.g. dynalite's `http://127.0.0.1:4567`. Required. */
  upstream: string;
  /** Fault rates and latency; changeable later with `setFaults`. Default: no faults. */
  faults?: FaultOptions;
  /** Seed of the built-in PRNG ({@link seededRandom}). Default 1. Not with `random`. */
  seed?: number;
  /** Uniform source in [0, 1) that decides faults, in place of the seeded PRNG. Not with `seed`. */
  random?: RandomSource;
  /** Waits `ms` milliseconds; replace it to make latency instant or observable. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Port to listen on, on 127.0.0.1. Default 0: a free port. */
  port?: number;
}

/** The parsed parts of a request a proxy decides on. */
export interface ProxiedRequest {
  /** Operation name: the part of `X-Amz-Target` after the dot, or `''` when absent. */
  operation: string;
  /** Request path with query. */
  path: string;
  /** End-to-end headers, lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * An HTTP server on loopback that forwards AWS JSON-protocol requests to an upstream and injects
 * faults on the way. Subclasses say what a throttle and a server error look like for their service and
 * may change how a request is forwarded.
 */
export abstract class FaultProxy {
  readonly #upstream: URL;
  readonly #random: RandomSource;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #port: number;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #counters = new FaultCounters();
  #faults: Required<FaultOptions>;
  #server: Server | undefined;
  #endpoint: string | undefined;

  /** @throws InvalidProxyOptionError when an option is missing or out of range. */
  protected constructor(options: FaultProxyOptions) {
    if (typeof options.upstream !== 'string' || !/^http:\/\/[^/]+/.test(options.upstream)) {
      throw new InvalidProxyOptionError(
        'upstream',
        `must be an http:// URL, got ${String(options.upstream)}`,
      );
    }
    this.#upstream = new URL(options.upstream);
    if (options.seed !== undefined && options.random !== undefined) {
      throw new InvalidProxyOptionError('seed', 'give either seed or random, not both');
    }
    if (options.seed !== undefined && !Number.isInteger(options.seed)) {
      throw new InvalidProxyOptionError('seed', `must be an integer, got ${options.seed}`);
    }
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidProxyOptionError('port', `must be an integer in [0, 65535], got ${port}`);
    }
    this.#port = port;
    this.#random = options.random ?? seededRandom(options.seed ?? 1);
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#faults = validateFaultOptions(options.faults ?? {});
  }

  /**
   * Starts listening on 127.0.0.1.
   *
   * @returns The endpoint to give a client, `http://127.0.0.1:<port>`.
   * @throws Error when the port cannot be bound.
   */
  async start(): Promise<string> {
    if (this.#endpoint !== undefined) return this.#endpoint;
    const server = createServer((req, res) => {
      this.#serve(req, res).catch((error: unknown) => {
        // The upstream failed or went away: AWS would answer 500, but a proxy that cannot reach its
        // upstream is a broken test set-up, so say so plainly.
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`fault proxy: upstream ${this.#upstream.href} failed: ${String(error)}`);
        } else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#endpoint;
  }

  /**
   * The endpoint to give a client.
   * @throws ProxyNotListeningError before `start()` resolved or after `close()`.
   */
  get endpoint(): string {
    if (this.#endpoint === undefined)
      throw new ProxyNotListeningError('the proxy is not listening: call start() first');
    return this.#endpoint;
  }

  /** Stops listening and drops open connections. Safe to call twice. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#endpoint = undefined;
    this.#agent.destroy();
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /**
   * Replaces the fault options for the requests that arrive from now on.
   * @throws InvalidProxyOptionError when the options are invalid; the old ones then stay in force.
   */
  setFaults(faults: FaultOptions): void {
    this.#faults = validateFaultOptions(faults);
  }

  /** Counts of what was injected so far, by kind and by operation. */
  counts(): FaultCountsSnapshot {
    return this.#counters.snapshot();
  }

  /** Sets the counts back to zero. */
  resetCounts(): void {
    this.#counters.reset();
  }

  /** Records `n` events the subclass injected itself (old items, throttled records, rejected limits). */
  protected count(kind: Parameters<FaultCounters['add']>[0], operation: string, n = 1): void {
    this.#counters.add(kind, operation, n);
  }

  /** The answer for an injected throttle of `operation`. */
  protected abstract throttleAnswer(operation: string): HttpAnswer;

  /** The answer for an injected server error with `status` 500 or 503. */
  protected abstract serverErrorAnswer(status: 500 | 503): HttpAnswer;

  /**
   * Handles a request that drew no answer-replacing fault. The default forwards it unchanged;
   * subclasses add service behaviour around {@link forward}.
   */
  protected handle(request: ProxiedRequest): Promise<HttpAnswer> {
    return this.forward(request.path, request.headers, request.body);
  }

  /** Sends a request to the upstream and returns its whole answer. */
  protected forward(path: string, headers: Record<string, string>, body: Buffer): Promise<HttpAnswer> {
    return exchange(this.#upstream, this.#agent, path, headers, body);
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers = relayableHeaders(req.headers);
    const target = headers['x-amz-target'] ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    const decision = drawFault(this.#faults, operation, this.#random);
    if (decision.latencyMs > 0) {
      this.#counters.add('latency', operation);
      await this.#sleep(decision.latencyMs);
    }
    if (decision.kind !== undefined) this.#counters.add(decision.kind, operation);
    let answer: HttpAnswer;
    switch (decision.kind) {
      case 'resetBeforeUpstream':
        req.socket.destroy();
        return;
      case 'throttle':
        answer = this.throttleAnswer(operation);
        break;
      case 'serverError':
        answer = this.serverErrorAnswer(decision.serverStatus);
        break;
      default:
        answer = await this.handle({ operation, path: req.url ?? '/', headers, body });
    }
    if (decision.kind === 'resetAfterUpstream') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }
}
