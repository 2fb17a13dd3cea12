import { availableParallelism, loadavg } from 'node:os';
import { DYNAMODB_PRICES } from '@secondrow/devkit';
import type { LocalServersMode, RunnerStats } from '@secondrow/local';
import type { ResolvedDemo } from './demo-options.js';
import type { PassResult } from './demo-pass.js';
import type { FaultRates, InjectedFaults } from './faults.js';
import type { Verification } from './ground-truth.js';
import type { LocalCeilings } from './local-ceilings.js';
import type { ProbeLatencies, StoreTotals } from './pipeline-probe.js';
import { writeUsdPerDeviceMonth } from './pricing.js';
import type { ProducerFormat } from './producer-formats.js';
import type { SimulationResult } from './simulation.js';
import { formatSourceSpec } from './source-spec.js';

/** Write cost of one pass of the pipeline at one Lambda batch size. */
export interface CapacityReport {
  batchSize: number;
  /** Items in the table for the run's devices. */
  rows: number;
  /** Mean item size, bytes. */
  meanRowBytes: number;
  /** Write units the consumer consumed (reported by DynamoDB, plus the store's estimates for failed conditional writes). */
  writeUnits: number;
  /** Read units the consumer consumed (merges). */
  readUnits: number;
  /** Read units of the verification queries (from item sizes, eventually consistent). */
  verifyReadUnits: number;
  /** Write units per device per simulated second. */
  writeUnitsPerDeviceSecond: number;
  /** USD per device-month of writes at that rate. */
  usdPerDeviceMonth: number;
  /** Totals of the store's write reports. */
  store: StoreTotals;
}

/** Everything the demo measured. */
export interface DemoReport {
  /** True when nothing was lost, duplicated or wrong. */
  ok: boolean;
  settings: {
    target: 'local' | 'remote';
    /** Where the local servers ran. */
    servers: LocalServersMode | undefined;
    streamName: string;
    tableName: string;
    devices: number;
    durationSeconds: number;
    rateHz: number;
    source: string;
    format: ProducerFormat;
    speed: number | 'max';
    batchSize: number;
    windowSeconds: number;
    flushIntervalSeconds: number;
    shards: number | undefined;
    seed: string;
    faults: FaultRates;
  };
  samples: Verification;
  capacity: CapacityReport & {
    /** What one DynamoDB item per sample (the 2015 layout) costs for the same data. */
    perSample: { itemBytes: number; writeUnitsPerDeviceSecond: number; usdPerDeviceMonth: number };
    prices: { writeUsdPerMillion: number; readUsdPerMillion: number; region: string; asOf: string };
  };
  /** The same data at other batch sizes (with `compareBatchSizes`). */
  comparison: CapacityReport[];
  latencyMs: ProbeLatencies;
  throughput: {
    /** Distinct samples stored per wall second, first PutRecords to last record stored. */
    samplesPerSecond: number;
    pipelineSeconds: number;
    /** Wall seconds the producer took. */
    producerSeconds: number;
    records: SimulationResult['records'];
    runner: Pick<
      RunnerStats,
      'invocations' | 'failedInvocations' | 'records' | 'recordsDelivered' | 'retries' | 'shards'
    >;
    /** The machine the run shared: logical CPUs and the 1-minute load average before and after. */
    machine: { cpus: number; loadBefore: number; loadAfter: number };
  };
  faults: {
    injected: InjectedFaults;
    found: {
      /** Runs of consecutive source samples missing from the table (see `findGaps`). */
      gapsInTable: number;
      /** Source samples missing from the table (dropped by the watch, or lost). */
      samplesMissing: number;
      /** Samples missing against each row's nominal rate, as the store's `readRows` counts them. */
      missingSlots: number;
      /** Duplicate samples the store dropped (resends, redeliveries and retries). */
      duplicatesDropped: number;
      /** Records delivered to the handler more than once. */
      redeliveredRecords: number;
    };
    skewedDevices: { deviceId: string; skewMs: number }[];
  };
  /** Raw write rates of the local servers (local runs). */
  ceilings?: LocalCeilings;
  /** Wall seconds of the whole demo. */
  wallSeconds: number;
}

/** Assembles the {@link DemoReport} of a run from its first pass and the extras. */
export function buildReport(input: {
  o: ResolvedDemo;
  pass: PassResult;
  comparison: CapacityReport[];
  ceilings: LocalCeilings | undefined;
  remote: boolean;
  streamName: string;
  tableName: string;
  wallStart: number;
  shards: number | undefined;
  servers: LocalServersMode | undefined;
  loadBefore: number;
}): DemoReport {
  const { o, pass } = input;
  const deviceSeconds = o.devices * o.durationSeconds;
  const perSampleWu = (pass.verification.distinct * pass.perSample.writeUnitsPerSample) / deviceSeconds;
  const pipelineSeconds = Math.max(0.001, (pass.probe.lastStoredWallMs - pass.probe.firstPutWallMs) / 1000);
  const report: DemoReport = {
    ok: pass.verification.ok,
    settings: {
      target: input.remote ? 'remote' : 'local',
      servers: input.servers,
      streamName: input.streamName,
      tableName: input.tableName,
      devices: o.devices,
      durationSeconds: o.durationSeconds,
      rateHz: o.rateHz,
      source: formatSourceSpec(o.source),
      format: o.format,
      speed: Number.isFinite(o.speed) ? o.speed : 'max',
      batchSize: o.batchSize,
      windowSeconds: o.windowSeconds,
      flushIntervalSeconds: o.flushIntervalSeconds,
      shards: input.shards,
      seed: o.seed,
      faults: o.faults,
    },
    samples: pass.verification,
    capacity: {
      ...pass.capacity,
      perSample: {
        itemBytes: pass.perSample.itemBytes,
        writeUnitsPerDeviceSecond: perSampleWu,
        usdPerDeviceMonth: writeUsdPerDeviceMonth(perSampleWu),
      },
      prices: {
        writeUsdPerMillion: DYNAMODB_PRICES.onDemandWriteUsdPerMillion,
        readUsdPerMillion: DYNAMODB_PRICES.onDemandReadUsdPerMillion,
        region: DYNAMODB_PRICES.region,
        asOf: DYNAMODB_PRICES.checked,
      },
    },
    comparison: input.comparison,
    latencyMs: pass.probe.latencies(),
    throughput: {
      samplesPerSecond: pass.verification.matched / pipelineSeconds,
      pipelineSeconds,
      producerSeconds: pass.sim.wallMs / 1000,
      records: pass.sim.records,
      runner: {
        invocations: pass.runner.invocations,
        failedInvocations: pass.runner.failedInvocations,
        records: pass.runner.records,
        recordsDelivered: pass.runner.recordsDelivered,
        retries: pass.runner.retries,
        shards: pass.runner.shards,
      },
      machine: { cpus: availableParallelism(), loadBefore: input.loadBefore, loadAfter: loadavg()[0] ?? 0 },
    },
    faults: {
      injected: pass.sim.injected,
      found: {
        gapsInTable: pass.gapsInTable,
        samplesMissing: pass.samplesMissing,
        missingSlots: pass.missingSlots,
        duplicatesDropped: pass.probe.totals.duplicatesDropped,
        redeliveredRecords: pass.runner.recordsDelivered - pass.runner.records,
      },
      skewedDevices: pass.sim.devices
        .filter((d) => d.skewMs !== 0)
        .map((d) => ({ deviceId: d.deviceId, skewMs: d.skewMs })),
    },
    wallSeconds: (performance.now() - input.wallStart) / 1000,
  };
  if (input.ceilings !== undefined) report.ceilings = input.ceilings;
  return report;
}
