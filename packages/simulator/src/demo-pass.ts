import { setTimeout as delay } from 'node:timers/promises';
import type { Sample } from '@secondrow/codec';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { createHandler } from '@secondrow/consumer';
import {
  type DiscardedBatch,
  type FaultCountsSnapshot,
  type FaultOptions,
  type RunnerStats,
  runEventSource,
} from '@secondrow/local';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ResolvedDemo } from './demo-options.js';
import type { CapacityReport } from './demo-report.js';
import type { Target } from './demo-target.js';
import { deviceIds } from './device-id.js';
import { findGaps, type Verification, verify } from './ground-truth.js';
import { KinesisRecordSink } from './kinesis-sink.js';
import { type MqttPassReport, startMqttPath } from './mqtt-path.js';
import { OutageMeter, type OutageReport } from './outage.js';
import { PipelineProbe } from './pipeline-probe.js';
import { perSampleItemCost, writeUsdPerDeviceMonth } from './pricing.js';
import type { ProgressReporter } from './progress.js';
import { DEFAULT_RESOLUTION_G } from './quantize.js';
import { checkRegistry, type DeviceSpan, type RegistryCheck } from './registry-check.js';
import { runSimulation, type SimulationResult } from './simulation.js';

/** What one pass of the pipeline produced and measured. */
export interface PassResult {
  /** What the pass is, e.g. `main pass (batch size 500)`. */
  name: string;
  sim: SimulationResult;
  probe: PipelineProbe;
  runner: RunnerStats;
  verification: Verification;
  capacity: CapacityReport;
  gapsInTable: number;
  samplesMissing: number;
  missingSlots: number;
  perSample: { itemBytes: number; writeUnitsPerSample: number };
  /** On-failure records of batches the runner gave up on (must be none). */
  discarded: DiscardedBatch[];
  /** What the fault proxies injected during this pass, by kind (empty without proxies). */
  injectedAws: { dynamodb: FaultCountsSnapshot['byKind']; kinesis: FaultCountsSnapshot['byKind'] };
  /** The DynamoDB outage of this pass, when there was one. */
  outage: OutageReport | undefined;
  /** The device registry after the pass against the ground truth, and what the consumer's notes cost. */
  registry: RegistryCheck & RegistryTotals;
  /** What the MQTT path did (MQTT transport only). */
  mqtt?: MqttPassReport;
}

/** What the consumer's device registry did during a pass. */
export interface RegistryTotals {
  /** Registry items written. */
  writes: number;
  /** Write units of those writes (failed conditional writes included, estimated). */
  writeUnits: number;
  /** Read units of the registry's lookups of devices it had not seen. */
  readUnits: number;
  /** Device notes that failed (a passing failure retries the device's records; see the consumer). */
  failures: number;
}

/**
 * One pass: simulate into the stream while the runner feeds the real handler, wait until every accepted
 * record is stored, then read every device back and verify it against the ground truth.
 *
 * @throws the runner's error when the event-source runner fails.
 */
export async function runPass(
  target: Target,
  o: ResolvedDemo & {
    streamName: string;
    tableName: string;
    remote: boolean;
    reporter: ProgressReporter | undefined;
    /** Shown in the progress line and the report. */
    name: string;
    /** Seconds of 100 % DynamoDB throttling from half-way through recording; 0 for none. */
    outageSeconds: number;
    /** The DynamoDB proxy's faults, put back when the outage ends. */
    dynamoFaults: FaultOptions;
    /** Seed of the broker's fault draws (MQTT transport). */
    faultSeed: number;
  },
): Promise<PassResult> {
  const proxies = target.proxies;
  proxies.dynamodb?.resetCounts();
  proxies.kinesis?.resetCounts();
  const outage =
    o.outageSeconds > 0 && proxies.dynamodb !== undefined
      ? new OutageMeter(proxies.dynamodb, target.dynamodb, o.outageSeconds * 1000, o.dynamoFaults)
      : undefined;
  const discarded: DiscardedBatch[] = [];
  let retries = 0;
  const resolution = DEFAULT_RESOLUTION_G;
  const store = new SampleStore({
    client: target.dynamodb,
    tableName: o.tableName,
    windowSeconds: o.windowSeconds,
    resolution,
  });
  const quiet = { info() {}, warn() {}, error() {} };
  const skewByDevice = new Map<string, number>();
  const probe = new PipelineProbe(skewByDevice);
  // The registry the deployed consumer keeps (DEVICE_REGISTRY=on), metered for the capacity report.
  const registry = new DeviceRegistry({ client: target.dynamodb, tableName: o.tableName });
  const registryTotals: RegistryTotals = { writes: 0, writeUnits: 0, readUnits: 0, failures: 0 };
  const meteredRegistry = {
    async noteMany(
      entries: readonly { deviceId: string; firstMs: number; lastMs: number }[],
      options?: { abortSignal?: AbortSignal },
    ) {
      const report = await registry.noteMany(entries, options);
      registryTotals.writes += report.writes;
      registryTotals.writeUnits += report.writeUnits;
      registryTotals.readUnits += report.readUnits;
      registryTotals.failures += report.failed.length;
      return report;
    },
  };
  const handler = probe.wrapHandler(
    createHandler({
      store: probe.meterStore(store),
      registry: meteredRegistry,
      logger: quiet,
      metrics: false,
      config: { resolution },
    }),
  );
  const abort = new AbortController();
  const runStartedAt = new Date(Date.now() - 1000);
  const runner = runEventSource({
    kinesis: target.kinesis,
    streamName: o.streamName,
    handler,
    // The stack's mapping settings (the runner's defaults) but for the batch size.
    batchSize: o.batchSize,
    onDiscard: discarded,
    onInvoke: (info) => {
      if (info.retries > 0) retries++;
    },
    // A remote stream may hold older records; start just before this run.
    startingPosition: o.remote ? 'AT_TIMESTAMP' : 'TRIM_HORIZON',
    ...(o.remote ? { startingPositionTimestamp: runStartedAt } : {}),
    stopWhenIdleMs: Number.POSITIVE_INFINITY,
    pollIntervalMs: o.remote ? 1000 : 100,
    signal: abort.signal,
  });
  let runnerDone = false;
  let runnerError: unknown;
  const runnerResult = runner.then(
    (stats) => {
      runnerDone = true;
      return stats;
    },
    (error: unknown) => {
      runnerDone = true;
      runnerError = error;
      return undefined;
    },
  );
  const expected = o.devices * o.durationSeconds * o.rateHz;
  const state = {
    phase: o.name,
    recorded: 0,
    expected,
    accepted: 0,
    stored: 0,
    samplesStored: 0,
    retries: 0,
    note: '',
  };
  const show = (): void => {
    state.accepted = probe.delivered;
    state.stored = probe.stored;
    state.samplesStored = probe.totals.samplesStored;
    state.retries = retries;
    state.note = outage?.active ? 'DynamoDB outage: every write throttled' : '';
    o.reporter?.update(state);
  };
  const mqtt =
    o.transport === 'mqtt'
      ? await startMqttPath({
          kinesis: target.kinesis,
          streamName: o.streamName,
          deviceIds: deviceIds(o.seed, o.devices),
          faults: o.brokerFaults,
          seed: o.faultSeed,
          onDelivered: probe.onDelivered,
        })
      : undefined;
  const ticker = setInterval(show, 250);
  let sim: SimulationResult;
  try {
    sim = await runSimulation({
      seed: o.seed,
      devices: o.devices,
      durationSeconds: o.durationSeconds,
      rateHz: o.rateHz,
      source: o.source,
      format: o.format,
      flushIntervalMs: o.flushIntervalSeconds * 1000,
      faults: o.faults,
      resolution,
      speed: o.speed,
      // Over MQTT the probe hears of each record from the rule (the Kinesis sequence numbers are there).
      sink: mqtt?.sink ?? new KinesisRecordSink(target.kinesis, o.streamName),
      onDelivered: mqtt?.onPhoneDelivered ?? probe.onDelivered,
      ...(mqtt === undefined ? {} : { maxRecordBytes: mqtt.maxRecordBytes }),
      onProgress: (p) => {
        state.recorded = p.recorded;
        if (outage !== undefined && p.recorded >= expected / 2) outage.start();
        show();
      },
    });
    for (const d of sim.devices) skewByDevice.set(d.deviceId, d.skewMs);
    state.recorded = state.expected;
    await mqtt?.settle();
    // Wait until the consumer stored every accepted record (or stalls for a minute).
    let lastStored = -1;
    let stalledSince = performance.now();
    while (!runnerDone && !probe.allStored()) {
      await delay(20);
      const stored = probe.stored;
      if (stored !== lastStored) {
        lastStored = stored;
        stalledSince = performance.now();
      } else if (performance.now() - stalledSince > 60_000) {
        break;
      }
    }
  } finally {
    abort.abort();
    clearInterval(ticker);
    outage?.stop();
    await mqtt?.close();
  }
  const runnerStats = await runnerResult;
  if (runnerStats === undefined) throw runnerError;
  state.phase = `${o.name}: verifying`;
  state.stored = probe.stored;
  show();

  const readBack = new Map<string, Sample[]>();
  let rows = 0;
  let rowBytes = 0;
  let verifyReadUnits = 0;
  let missingSlots = 0;
  let gapsInTable = 0;
  let samplesMissing = 0;
  const limit = pLimit(8);
  // Strongly consistent: reads are eventually consistent by default, and against real AWS a write
  // acknowledged a moment ago may not show yet in an eventually consistent read.
  const strong = { consistentRead: true };
  await forEachWithLimit(sim.truth.deviceIds(), limit, async (id) => {
    const range = sim.truth.range(id);
    if (range === undefined) return;
    const samples: Sample[] = [];
    for await (const s of store.read(id, range.fromMs, range.toMs + 1, strong)) samples.push(s);
    readBack.set(id, samples);
    let deviceBytes = 0;
    for await (const r of store.readRows(id, range.fromMs, range.toMs + 1, strong)) {
      rows++;
      deviceBytes += r.itemBytes;
      missingSlots += r.gaps;
    }
    rowBytes += deviceBytes;
    // Each read above costs one unit per started 4 KB strongly consistent (estimated as one Query page).
    verifyReadUnits += 2 * Math.ceil(deviceBytes / 4096);
    const found = findGaps(new Set(samples.map((s) => s.t)), sim.truth, id);
    gapsInTable += found.gaps;
    samplesMissing += found.missingSamples;
  });
  const verification = verify(readBack, sim.truth);
  const truthSpans = new Map<string, DeviceSpan>();
  for (const id of sim.truth.deviceIds()) {
    const range = sim.truth.range(id);
    if (range !== undefined) truthSpans.set(id, { firstMs: range.fromMs, lastMs: range.toMs });
  }
  const listed = new Map<string, DeviceSpan>();
  let cursor: string | undefined;
  do {
    const page = await registry.list({ consistentRead: true, ...(cursor === undefined ? {} : { cursor }) });
    for (const d of page.devices) listed.set(d.deviceId, { firstMs: d.firstMs, lastMs: d.lastMs });
    cursor = page.cursor;
  } while (cursor !== undefined);
  const registryCheck = { ...checkRegistry(truthSpans, listed), ...registryTotals };
  const deviceSeconds = o.devices * o.durationSeconds;
  const firstDevice = sim.truth.deviceIds()[0] ?? '';
  const perSampleCost = perSampleItemCost(firstDevice, (readBack.get(firstDevice) ?? []).slice(0, 500));
  const writeUnitsPerDeviceSecond = probe.totals.writeUnits / deviceSeconds;
  return {
    name: o.name,
    discarded,
    injectedAws: {
      dynamodb: proxies.dynamodb?.counts().byKind ?? {},
      kinesis: proxies.kinesis?.counts().byKind ?? {},
    },
    outage: outage?.report(),
    registry: registryCheck,
    ...(mqtt === undefined ? {} : { mqtt: mqtt.report() }),
    sim,
    probe,
    runner: runnerStats,
    verification,
    gapsInTable,
    samplesMissing,
    missingSlots,
    perSample: {
      itemBytes: perSampleCost.bytesPerSample,
      writeUnitsPerSample: perSampleCost.writeUnitsPerSample,
    },
    capacity: {
      batchSize: o.batchSize,
      rows,
      meanRowBytes: rows > 0 ? rowBytes / rows : 0,
      writeUnits: probe.totals.writeUnits,
      readUnits: probe.totals.readUnits,
      verifyReadUnits,
      registryWriteUnits: registryTotals.writeUnits,
      writeUnitsPerDeviceSecond,
      usdPerDeviceMonth: writeUsdPerDeviceMonth(writeUnitsPerDeviceSecond),
      store: { ...probe.totals },
    },
  };
}

/** Runs `task` for every item, at most `limit` at a time (p-limit). */
async function forEachWithLimit<T>(
  items: readonly T[],
  limit: LimitFunction,
  task: (item: T) => Promise<void>,
): Promise<void> {
  await Promise.all(items.map((item) => limit(() => task(item))));
}
