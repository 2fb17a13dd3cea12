import { Prng } from '@secondrow/devkit';
import { VirtualClock } from './clock.js';
import { deviceId } from './device-id.js';
import { InvalidSimulatorOptionError, PutRecordsError } from './errors.js';
import {
  DEFAULT_FAULT_SHAPE,
  drawClockSkewMs,
  drawOfflineWindow,
  type FaultRates,
  type FaultShape,
  GapInjector,
  type InjectedFaults,
  NO_FAULTS,
  noInjectedFaults,
  type OfflineWindow,
} from './faults.js';
import { GroundTruth } from './ground-truth.js';
import { MAX_RATE_HZ } from './motion-model.js';
import { type Delivery, Phone } from './phone.js';
import type { ProducerFormat } from './producer-formats.js';
import { DEFAULT_RESOLUTION_G } from './quantize.js';
import type { RecordSink } from './record-sink.js';
import { SourceFactory, type SourceSpec } from './source-spec.js';
import { WATCH_BATCH_SIZE, Watch } from './watch.js';

/** Flush interval of the 2015 phone app's Kinesis recorder, ms. */
export const DEFAULT_FLUSH_INTERVAL_MS = 30_000;

/** UTC offsets the simulated phones live in, minutes (for the 2015 format's local times). */
const UTC_OFFSETS_MINUTES = [-420, -300, 0, 60, 330, 540];

/** Options of {@link runSimulation}. */
export interface SimulationOptions {
  /** Seed of every random choice; equal seeds give equal runs. */
  seed: string | number;
  /** Number of devices (a watch and its phone each). */
  devices: number;
  /** Simulated seconds of recording. */
  durationSeconds: number;
  /** Simulated time the recording starts, epoch ms. Default: now. */
  startMs?: number;
  /** Synthetic sample rate, Hz (≤ 100). Replayed CSVs keep their own rate. Default 50. */
  rateHz?: number;
  /** Source of readings. Default `{ kind: 'mix' }`. */
  source?: SourceSpec;
  /** Record format the phones send. Default `json-v1`. */
  format?: ProducerFormat;
  /** Phone recorder flush interval, simulated ms. Default 30,000. */
  flushIntervalMs?: number;
  /** Samples per watch batch. Default 200. */
  batchSize?: number;
  /** Fault rates. Default none. */
  faults?: FaultRates;
  /** Fault sizes. Default {@link DEFAULT_FAULT_SHAPE}. */
  faultShape?: FaultShape;
  /** Codec resolution, g (the ground truth's grid). Default 0.001. */
  resolution?: number;
  /** Simulated ms per wall ms (`Infinity` = as fast as possible). Default Infinity. Ignored when `clock` is given. */
  speed?: number;
  /** Clock to run on (its start must not be after `startMs`). Default: a new one at `speed`. */
  clock?: VirtualClock;
  /** Where the phones' PutRecords calls go. */
  sink: RecordSink;
  /** PutRecords attempts per flush. Default 4. */
  maxAttempts?: number;
  /** First retry delay, simulated ms. Default 100. */
  baseDelayMs?: number;
  /** Split each Avro batch into records of at most this many bytes (see `Phone`). Default: no split. */
  maxRecordBytes?: number;
  /** Phones flushing at the same time, at most. Default 8. */
  maxConcurrentFlushes?: number;
  /** Called for every record Kinesis accepts. */
  onDelivered?: (delivery: Delivery) => void;
  /** Called after every flush. */
  onProgress?: (progress: SimulationProgress) => void;
}

/** Progress of a running simulation. */
export interface SimulationProgress {
  /** Samples recorded so far (all devices). */
  recorded: number;
  /** Records Kinesis accepted so far. */
  acceptedRecords: number;
  /** Devices whose phone has sent everything. */
  devicesDone: number;
}

/** One simulated device as the run configured it. */
export interface DeviceInfo {
  deviceId: string;
  /** Source label, e.g. `synthetic:walk@50Hz`. */
  source: string;
  /** Nominal interval between samples, ms. */
  nominalPeriodMs: number;
  /** Clock offset, ms (0 when not skewed). */
  skewMs: number;
  /** Offline period of its phone, if any. */
  offline?: OfflineWindow;
  /** Samples recorded. */
  recorded: number;
}

/** Outcome of {@link runSimulation}. */
export interface SimulationResult {
  truth: GroundTruth;
  devices: DeviceInfo[];
  injected: InjectedFaults;
  /** PutRecords traffic. */
  records: { accepted: number; resent: number; calls: number; failedRecords: number; failedCalls: number };
  startMs: number;
  endMs: number;
  /** Wall-clock duration of the run, ms. */
  wallMs: number;
}

/**
 * Runs `devices` watches and phones for `durationSeconds` of simulated time: each watch records
 * from its source and hands 200-sample batches to its phone, each phone flushes its recorder every
 * `flushIntervalMs` (phones start at random phases) into `sink`, with the configured faults. At the
 * end every watch hands over its last, short batch and every phone flushes until its queue is empty.
 *
 * @throws {InvalidSimulatorOptionError} on an option out of range.
 * @throws {PutRecordsError} when a phone still cannot send after 50 final flushes.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const rateHz = options.rateHz ?? 50;
  checkPositive('devices', options.devices, true);
  checkPositive('durationSeconds', options.durationSeconds, false);
  checkPositive('flushIntervalMs', options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, false);
  if (!(rateHz > 0 && rateHz <= MAX_RATE_HZ)) {
    throw new InvalidSimulatorOptionError('rateHz', `rate must be in (0, ${MAX_RATE_HZ}] Hz, got ${rateHz}`);
  }
  const wallStart = performance.now();
  const startMs = Math.floor(options.startMs ?? options.clock?.startMs ?? Date.now());
  const clock =
    options.clock ?? new VirtualClock({ startMs, speed: options.speed ?? Number.POSITIVE_INFINITY });
  const durationMs = Math.round(options.durationSeconds * 1000);
  const endMs = startMs + durationMs;
  const interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const faults = options.faults ?? NO_FAULTS;
  const shape = options.faultShape ?? DEFAULT_FAULT_SHAPE;
  const truth = new GroundTruth(options.resolution ?? DEFAULT_RESOLUTION_G);
  const injected = noInjectedFaults();
  const sources = new SourceFactory(options.source ?? { kind: 'mix' }, rateHz);
  const records = { accepted: 0, resent: 0, calls: 0, failedRecords: 0, failedCalls: 0 };
  const limit = semaphore(options.maxConcurrentFlushes ?? 8);
  const progress: SimulationProgress = { recorded: 0, acceptedRecords: 0, devicesDone: 0 };
  const onDelivered = (delivery: Delivery): void => {
    records.accepted++;
    if (delivery.resend) records.resent++;
    options.onDelivered?.(delivery);
  };

  const devices: DeviceInfo[] = [];
  const runs: (() => Promise<void>)[] = [];
  for (let index = 0; index < options.devices; index++) {
    const id = deviceId(options.seed, index);
    const prng = Prng.derive(options.seed, 'device', index);
    const faultPrng = Prng.derive(options.seed, 'faults', index);
    const firstSampleMs = startMs + prng.int(0, 999);
    const source = sources.create(index, firstSampleMs, prng);
    const skewMs = drawClockSkewMs(faultPrng, faults.skew, shape.maxSkewMs);
    if (skewMs !== 0) injected.skewedDevices++;
    const offline = drawOfflineWindow(faultPrng, faults.offline, startMs, durationMs, shape.offlineMs);
    if (offline !== undefined) injected.offlinePhones++;
    const gaps = new GapInjector(Prng.derive(options.seed, 'gaps', index), faults.drop, shape.maxGapSamples);
    const watch = new Watch({
      deviceId: id,
      source,
      endMs,
      skewMs,
      batchSize: options.batchSize ?? WATCH_BATCH_SIZE,
      resolution: truth.resolution,
      gaps,
      truth,
    });
    const phone = new Phone({
      deviceId: id,
      format: options.format ?? 'json-v1',
      sink: options.sink,
      clock,
      prng: Prng.derive(options.seed, 'phone', index),
      duplicateRate: faults.duplicate,
      reorderRate: faults.reorder,
      utcOffsetMinutes: prng.pick(UTC_OFFSETS_MINUTES),
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 100,
      ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
      injected,
      onDelivered,
    });
    const info: DeviceInfo = {
      deviceId: id,
      source: source.label,
      nominalPeriodMs: source.nominalPeriodMs,
      skewMs,
      recorded: 0,
    };
    if (offline !== undefined) info.offline = offline;
    devices.push(info);

    const flushTimes = scheduleFlushes(startMs + prng.int(0, interval - 1), interval, endMs, offline);
    const flush = async (atMs: number): Promise<void> => {
      const outcome = await limit(() => phone.flush(atMs));
      records.calls += outcome.calls;
      records.failedRecords += outcome.failedRecords;
      records.failedCalls += outcome.failedCalls;
    };
    const handOver = (batches: ReturnType<Watch['advanceTo']>): void => {
      for (const batch of batches) phone.receive(batch);
      progress.recorded += watch.recorded - info.recorded;
      info.recorded = watch.recorded;
    };
    runs.push(async () => {
      for (const atMs of flushTimes) {
        await clock.sleepUntil(atMs);
        handOver(watch.advanceTo(atMs));
        if (offline !== undefined && atMs >= offline.fromMs && atMs < offline.toMs) {
          injected.skippedFlushes++;
          continue;
        }
        await flush(atMs);
        progress.acceptedRecords = records.accepted;
        options.onProgress?.(progress);
      }
      await clock.sleepUntil(endMs);
      handOver(watch.finish());
      injected.gaps += gaps.gaps;
      injected.droppedSamples += gaps.dropped;
      // Final flushes until the queue is empty: resends after lost replies and failed records.
      for (let round = 0; phone.backlog > 0; round++) {
        if (round === 50) {
          throw new PutRecordsError(
            phone.backlog,
            `${id}: ${phone.backlog} records still unsent after 50 flushes`,
          );
        }
        if (round > 0) await clock.sleep(1000, endMs + (round - 1) * 1000);
        await flush(endMs + round * 1000);
      }
      progress.devicesDone++;
      progress.acceptedRecords = records.accepted;
      options.onProgress?.(progress);
    });
  }
  await Promise.all(runs.map((run) => run()));
  return { truth, devices, injected, records, startMs, endMs, wallMs: performance.now() - wallStart };
}

/**
 * Flush times of one phone, simulated epoch ms: every `interval` from `firstMs` until `endMs`, plus
 * the moment it comes back online (it flushes its backlog at once), in order.
 */
export function scheduleFlushes(
  firstMs: number,
  interval: number,
  endMs: number,
  offline?: OfflineWindow,
): number[] {
  const times: number[] = [];
  for (let t = firstMs; t < endMs; t += interval) times.push(t);
  if (offline !== undefined && offline.toMs < endMs && !times.includes(offline.toMs))
    times.push(offline.toMs);
  return times.sort((a, b) => a - b);
}

function checkPositive(option: string, value: number, integer: boolean): void {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new InvalidSimulatorOptionError(
      option,
      `${option} must be a positive ${integer ? 'integer' : 'number'}`,
    );
  }
}

/** Runs at most `n` tasks at once; the others wait in order. */
function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
