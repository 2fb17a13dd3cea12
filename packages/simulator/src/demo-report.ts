import { availableParallelism, loadavg } from 'node:os';
import { EVENT_SOURCE_MAPPING, type EventSourceMappingSettings } from '@secondrow/consumer';
import { DYNAMODB_PRICES } from '@secondrow/devkit';
import type { InjectedKind, LocalServersMode, RunnerStats } from '@secondrow/local';
import type { AwsFaults } from './aws-faults.js';
import type { DemoTransport, ResolvedDemo } from './demo-options.js';
import type { PassResult } from './demo-pass.js';
import type { FaultRates, InjectedFaults } from './faults.js';
import type { Verification } from './ground-truth.js';
import { type IotCostReport, iotCostReport } from './iot-cost.js';
import type { LocalCeilings } from './local-ceilings.js';
import type { BrokerFaults, MqttPassReport } from './mqtt-path.js';
import type { OutageReport } from './outage.js';
import type { ProbeLatencies, StoreTotals } from './pipeline-probe.js';
import { writeUsdPerDeviceMonth } from './pricing.js';
import type { ProducerFormat } from './producer-formats.js';
import type { SimulationResult } from './simulation.js';
import { formatSourceSpec } from './source-spec.js';

/** Write cost of one pass of the pipeline at one Lambda batch size. */
export interface CapacityReport {
  /** Which pass, e.g. `pass 2/2 (batch size 1, write-cost comparison)`. */
  pass?: string;
  batchSize: number;
  /** Items in the table for the run's devices. */
  rows: number;
  /** Mean item size, bytes. */
  meanRowBytes: number;
  /** Write units the consumer consumed (reported by DynamoDB, plus the store's estimates for failed conditional writes). */
  writeUnits: number;
  /** Read units the consumer consumed (merges). */
  readUnits: number;
  /** Read units of the verification queries (from item sizes, strongly consistent). */
  verifyReadUnits: number;
  /** Write units of the consumer's device registry notes (next to `writeUnits`, the rows'). */
  registryWriteUnits: number;
  /** Write units per device per simulated second. */
  writeUnitsPerDeviceSecond: number;
  /** USD per device-month of writes at that rate. */
  usdPerDeviceMonth: number;
  /** Totals of the store's write reports. */
  store: StoreTotals;
}

/** Counts of what a fault proxy injected, by kind (kinds never injected are absent). */
export type InjectedByKind = Partial<Record<InjectedKind, number>>;

/** The outcome of one pass: the main one, and the batch-size comparison when it ran. */
export interface PassSummary {
  name: string;
  batchSize: number;
  /** Produced, distinct, stored, lost, duplicated samples of this pass's own devices and table. */
  samples: Pick<
    Verification,
    'produced' | 'distinct' | 'stored' | 'lost' | 'duplicated' | 'wrongValues' | 'ok'
  >;
  /** Records of batches the runner discarded (its on-failure records); must be 0. */
  discardedRecords: number;
  runner: Pick<
    RunnerStats,
    'invocations' | 'failedInvocations' | 'retries' | 'bisections' | 'backoffMs' | 'discarded'
  >;
  /** Store retries (throttles, 5xx, resets, lost races) inside invocations. */
  storeRetries: number;
  /** The device registry against the ground truth: every device listed with a covering range. */
  registry: { ok: boolean; devices: number; listed: number; missing: string[]; notCovering: string[] };
  /** What the local AWS injected during the pass. */
  awsFaults: { dynamodb: InjectedByKind; kinesis: InjectedByKind };
}

/** Everything the demo measured. */
export interface DemoReport {
  /**
   * True when nothing was lost, duplicated or wrong, no batch was discarded and the device registry
   * listed every device with a range covering it, in every pass.
   */
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
    /** How records reached the stream. */
    transport: DemoTransport;
    /** Faults of the local broker (MQTT transport), or `false`. */
    brokerFaults: BrokerFaults | false;
    speed: number | 'max';
    batchSize: number;
    windowSeconds: number;
    flushIntervalSeconds: number;
    shards: number | undefined;
    seed: string;
    faults: FaultRates;
    /** Faults of the local AWS, or `false` (off, or a remote run). */
    awsFaults: AwsFaults | false;
    /** Seconds of 100 % DynamoDB throttling in the main pass (0: none). */
    outageSeconds: number;
    /** The event source mapping settings the runner used: the stack's, with the demo's batch size. */
    mapping: EventSourceMappingSettings;
  };
  samples: Verification;
  capacity: CapacityReport & {
    /** What one DynamoDB item per sample (the 2015 layout) costs for the same data. */
    perSample: { itemBytes: number; writeUnitsPerDeviceSecond: number; usdPerDeviceMonth: number };
    prices: { writeUsdPerMillion: number; readUsdPerMillion: number; region: string; asOf: string };
  };
  /** The same data at other batch sizes (with `compareBatchSizes`). */
  comparison: CapacityReport[];
  /** Each pass by name: what it stored, discarded and retried, and the AWS faults it met. */
  passes: PassSummary[];
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
      | 'invocations'
      | 'failedInvocations'
      | 'records'
      | 'recordsDelivered'
      | 'retries'
      | 'shards'
      | 'bisections'
      | 'backoffMs'
      | 'discarded'
    >;
    /** The machine the run shared: logical CPUs and the 1-minute load average before and after. */
    machine: { cpus: number; loadBefore: number; loadAfter: number };
  };
  faults: {
    /** Faults of the simulated devices and phones. */
    injected: InjectedFaults;
    /** What the local AWS injected in the main pass, by kind. */
    aws: { dynamodb: InjectedByKind; kinesis: InjectedByKind };
    /** The DynamoDB outage of the main pass, when `outageSeconds` > 0. */
    outage?: OutageReport;
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
      /** Records the runner gave up on (on-failure records); must be 0. */
      discardedRecords: number;
    };
    skewedDevices: { deviceId: string; skewMs: number }[];
  };
  /** Raw write rates of the local servers (local runs). */
  ceilings?: LocalCeilings;
  /**
   * The MQTT path of the main pass (MQTT transport): traffic, broker and rule counters, the error action,
   * and the IoT Core line items per device-month.
   */
  iot?: { path: MqttPassReport; cost: IotCostReport };
  /** Wall seconds of the whole demo. */
  wallSeconds: number;
}

/** Assembles the {@link DemoReport} of a run from its first pass and the extras. */
export function buildReport(input: {
  o: ResolvedDemo;
  /** The main pass first, then the comparison pass when it ran. */
  passes: PassResult[];
  awsFaults: AwsFaults | false;
  ceilings: LocalCeilings | undefined;
  remote: boolean;
  streamName: string;
  tableName: string;
  wallStart: number;
  shards: number | undefined;
  servers: LocalServersMode | undefined;
  loadBefore: number;
}): DemoReport {
  const { o, passes } = input;
  const pass = passes[0]!;
  const summaries = passes.map(summarizePass);
  const comparison = passes.length > 1 ? passes.map((p) => ({ pass: p.name, ...p.capacity })) : [];
  const deviceSeconds = o.devices * o.durationSeconds;
  const perSampleWu = (pass.verification.distinct * pass.perSample.writeUnitsPerSample) / deviceSeconds;
  const pipelineSeconds = Math.max(0.001, (pass.probe.lastStoredWallMs - pass.probe.firstPutWallMs) / 1000);
  const report: DemoReport = {
    // Over MQTT, a message left in the rule's error action after the redrives is not in the table either.
    ok:
      summaries.every((p) => p.samples.ok && p.discardedRecords === 0 && p.registry.ok) &&
      passes.every((p) => p.mqtt === undefined || p.mqtt.errorAction.left === 0),
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
      transport: o.transport,
      brokerFaults: o.transport === 'mqtt' && !input.remote ? o.brokerFaults : false,
      speed: Number.isFinite(o.speed) ? o.speed : 'max',
      batchSize: o.batchSize,
      windowSeconds: o.windowSeconds,
      flushIntervalSeconds: o.flushIntervalSeconds,
      shards: input.shards,
      seed: o.seed,
      faults: o.faults,
      awsFaults: input.awsFaults,
      outageSeconds: o.outageSeconds,
      mapping: { ...EVENT_SOURCE_MAPPING, batchSize: o.batchSize },
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
    comparison,
    passes: summaries,
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
        bisections: pass.runner.bisections,
        backoffMs: pass.runner.backoffMs,
        discarded: pass.runner.discarded,
      },
      machine: { cpus: availableParallelism(), loadBefore: input.loadBefore, loadAfter: loadavg()[0] ?? 0 },
    },
    faults: {
      injected: pass.sim.injected,
      aws: pass.injectedAws,
      ...(pass.outage === undefined ? {} : { outage: pass.outage }),
      found: {
        gapsInTable: pass.gapsInTable,
        samplesMissing: pass.samplesMissing,
        missingSlots: pass.missingSlots,
        duplicatesDropped: pass.probe.totals.duplicatesDropped,
        redeliveredRecords: pass.runner.recordsDelivered - pass.runner.records,
        discardedRecords: pass.runner.discarded,
      },
      skewedDevices: pass.sim.devices
        .filter((d) => d.skewMs !== 0)
        .map((d) => ({ deviceId: d.deviceId, skewMs: d.skewMs })),
    },
    wallSeconds: (performance.now() - input.wallStart) / 1000,
  };
  if (input.ceilings !== undefined) report.ceilings = input.ceilings;
  if (pass.mqtt !== undefined)
    report.iot = { path: pass.mqtt, cost: iotCostReport(pass.mqtt, deviceSeconds) };
  return report;
}

function summarizePass(p: PassResult): PassSummary {
  const v = p.verification;
  return {
    name: p.name,
    batchSize: p.capacity.batchSize,
    samples: {
      produced: v.produced,
      distinct: v.distinct,
      stored: v.stored,
      lost: v.lost,
      duplicated: v.duplicated,
      wrongValues: v.wrongValues,
      ok: v.ok,
    },
    discardedRecords: p.runner.discarded,
    runner: {
      invocations: p.runner.invocations,
      failedInvocations: p.runner.failedInvocations,
      retries: p.runner.retries,
      bisections: p.runner.bisections,
      backoffMs: p.runner.backoffMs,
      discarded: p.runner.discarded,
    },
    storeRetries: p.probe.totals.retries,
    registry: {
      ok: p.registry.ok,
      devices: p.registry.devices,
      listed: p.registry.listed,
      missing: p.registry.missing,
      notCovering: p.registry.notCovering.map((d) => d.deviceId),
    },
    awsFaults: p.injectedAws,
  };
}
