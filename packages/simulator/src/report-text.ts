import type { Percentiles } from '@secondrow/devkit';
import type { DemoReport, InjectedByKind } from './demo-report.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const num = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (n: number): string => `$${n.toFixed(n < 10 ? 3 : 2)}`;
const ms = (p: Percentiles | null): string =>
  p === null ? 'n/a' : `p50 ${int(p.p50)}  p90 ${int(p.p90)}  p99 ${int(p.p99)}  max ${int(p.max)} ms`;

const pct = (x: number): string => `${num(x * 100, x * 100 < 1 && x > 0 ? 1 : 0)} %`;

/** `throttle 41, resetAfterUpstream 7` or `none`. */
function kinds(counts: InjectedByKind): string {
  const entries = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${int(n ?? 0)}`).join(', ');
}

/** The demo report as the text the CLI prints. */
export function formatReport(r: DemoReport): string {
  const s = r.settings;
  const v = r.samples;
  const c = r.capacity;
  const f = r.faults;
  const lines: string[] = [];
  lines.push(
    `secondrow demo (${s.target}${s.servers === undefined ? '' : ` servers on ${s.servers === 'thread' ? 'their own thread' : 'the main thread'}`}: stream ${s.streamName}${s.shards === undefined ? '' : `, ${s.shards} shards`}, table ${s.tableName})`,
    `  ${s.devices} devices × ${s.durationSeconds} s at ${s.rateHz} Hz, source ${s.source}, format ${s.format}` +
      `${s.transport === 'mqtt' ? ' over MQTT (local broker, IoT topic rule)' : ''}, speed ${s.speed}, ` +
      `flush every ${s.flushIntervalSeconds} s, Lambda batch size ${s.batchSize}, ${s.windowSeconds} s rows, seed ${s.seed}`,
    `  event source mapping (the stack's): batch size ${s.mapping.batchSize}, window ${s.mapping.batchingWindowSeconds} s, ` +
      `bisect ${s.mapping.bisectBatchOnFunctionError ? 'on' : 'off'}, retries ${s.mapping.maximumRetryAttempts === -1 ? 'unlimited' : s.mapping.maximumRetryAttempts}, ` +
      `max record age ${num(s.mapping.maximumRecordAgeSeconds / 86_400, 0)} days, exponential backoff between retries`,
    `  device faults: ${Object.entries(s.faults)
      .map(([k, x]) => `${k} ${x}`)
      .join(', ')}`,
    `  AWS faults: ${
      s.awsFaults === false
        ? 'off'
        : `DynamoDB throttle ${pct(s.awsFaults.throttle)}, reset before write ${pct(s.awsFaults.resetBefore)}, ` +
          `reset after write ${pct(s.awsFaults.resetAfter)}, 5xx ${pct(s.awsFaults.serverError)}, ` +
          `latency ${s.awsFaults.latencyMs} ms + up to ${s.awsFaults.latencyJitterMs} ms; ` +
          `Kinesis limits ${s.awsFaults.kinesisLimits ? 'on (1 MiB/s and 1,000 records/s per shard)' : 'off'}`
    }${s.outageSeconds > 0 ? `; DynamoDB outage of ${s.outageSeconds} s half-way through` : ''}`,
    '',
    'Samples',
  );
  for (const p of r.passes.length > 0 ? r.passes : []) {
    const x = p.samples;
    lines.push(
      `  ${p.name}: produced ${int(x.produced)}  distinct ${int(x.distinct)}  stored ${int(x.stored)}  lost ${int(x.lost)}  ` +
        `duplicated ${int(x.duplicated)}  wrong values ${int(x.wrongValues)}  discarded batches' records ${int(p.discardedRecords)}  -> ${x.ok && p.discardedRecords === 0 ? 'OK' : 'FAILED'}`,
    );
  }
  for (const p of v.problems) lines.push(`    ${p}`);
  for (const p of r.passes) {
    const g = p.registry;
    lines.push(
      `  ${p.name}: device registry lists ${int(g.listed)} of ${int(g.devices)} devices` +
        (g.notCovering.length > 0
          ? `, ${int(g.notCovering.length)} with a range not covering their samples`
          : '') +
        ` -> ${g.ok ? 'OK' : `FAILED${[...g.missing, ...g.notCovering].length > 0 ? ` (${[...g.missing, ...g.notCovering].slice(0, 5).join(', ')})` : ''}`}`,
    );
  }
  lines.push(
    '',
    'DynamoDB capacity',
    `  rows ${int(c.rows)} (mean ${int(c.meanRowBytes)} B)  write units ${num(c.writeUnits, 0)}  read units ${num(c.readUnits, 1)} (consumer) + ${num(c.verifyReadUnits, 1)} (verification, strongly consistent, estimated)`,
    `  device registry: ${num(c.registryWriteUnits, 0)} write units next to the rows' ${num(c.writeUnits, 0)}: ${c.writeUnits > 0 ? `${num((c.registryWriteUnits / c.writeUnits) * 100, 2)} %` : 'n/a'} overhead (target <= 1 %)`,
    `  write units per device-second ${num(c.writeUnitsPerDeviceSecond, 3)}  vs one item per sample ${num(c.perSample.writeUnitsPerDeviceSecond, 1)} (${int(c.perSample.itemBytes)} B items)`,
    `  on-demand writes per device-month: ${usd(c.usdPerDeviceMonth)} as rows vs ${usd(c.perSample.usdPerDeviceMonth)} per sample ` +
      `($${c.prices.writeUsdPerMillion}/M write units, ${c.prices.region}, ${c.prices.asOf})`,
    `  store: rows written ${int(c.store.rowsWritten)}, merged ${int(c.store.rowsMerged)}, unchanged ${int(c.store.rowsUnchanged)}, ` +
      `conditional-check failures ${int(c.store.conditionalCheckFailures)}, retries ${int(c.store.retries)}, failed rows ${int(c.store.failedRows)}`,
  );
  for (const other of r.comparison) {
    lines.push(
      `  ${other.pass ?? `batch size ${other.batchSize}`}: ${num(other.writeUnitsPerDeviceSecond, 3)} write units per device-second, ${usd(other.usdPerDeviceMonth)} per device-month, ${int(other.rows)} rows`,
    );
  }
  const t = r.throughput;
  lines.push(
    '',
    'Latency',
    `  sample -> stored        ${ms(r.latencyMs.sampleToStored)}  (simulated phone delay + measured pipeline)`,
    `  PutRecords -> stored    ${ms(r.latencyMs.putToStored)}`,
    `  Kinesis arrival -> stored ${ms(r.latencyMs.arrivalToStored)}`,
    '',
    'Throughput',
    `  ${int(t.samplesPerSecond)} samples/s through ${s.target === 'local' ? 'kinesalite -> consumer -> dynalite' : 'Kinesis -> consumer -> DynamoDB'} (${num(t.pipelineSeconds)} s from first PutRecords to last row; producer ${num(t.producerSeconds)} s)`,
    `  records: ${int(t.records.accepted)} accepted in ${int(t.records.calls)} PutRecords calls (${int(t.records.resent)} resent, ${int(t.records.failedRecords)} failed and retried); ` +
      `handler: ${int(t.runner.invocations)} invocations over ${t.runner.shards} shards, ${int(t.runner.failedInvocations)} failed, ` +
      `${int(t.runner.retries)} retries after ${num(t.runner.backoffMs / 1000, 1)} s of backoff, ${int(t.runner.bisections)} bisections, ${int(t.runner.discarded)} records discarded`,
    `  machine: ${t.machine.cpus} CPUs, load average ${num(t.machine.loadBefore, 1)} before and ${num(t.machine.loadAfter, 1)} after (other work on the machine slows every figure here)`,
  );
  if (r.ceilings !== undefined) {
    const k = r.ceilings.kinesis;
    const d = r.ceilings.dynamodb;
    lines.push(
      `  local ceilings: kinesalite PutRecords ${int(k.recordsPerSecond)} records/s (${int(k.samplesPerSecond)} samples/s), ` +
        `dynalite BatchWriteItem ${int(d.itemsPerSecond)} rows/s (${int(d.samplesPerSecond)} samples/s)`,
      `  pipeline / slower ceiling: ${num((t.samplesPerSecond / Math.min(k.samplesPerSecond, d.samplesPerSecond)) * 100, 0)} %`,
    );
  }
  lines.push('', 'AWS faults (injected by the local endpoints -> absorbed)');
  for (const p of r.passes) {
    lines.push(
      `  ${p.name}: DynamoDB ${kinds(p.awsFaults.dynamodb)}; Kinesis ${kinds(p.awsFaults.kinesis)}`,
      `    -> ${int(p.storeRetries)} store retries inside invocations, ${int(p.runner.retries)} batch retries (${int(p.runner.failedInvocations)} failed invocations), ` +
        `${int(p.discardedRecords)} records discarded`,
    );
  }
  if (f.outage !== undefined) {
    const o = f.outage;
    lines.push(
      `  outage: every DynamoDB write throttled for ${o.seconds} s: ${int(o.requests)} requests (${int(o.throttled)} throttled) for ${int(o.rows)} rows, ` +
        `${num(o.requestsPerRow, 1)} requests per throttled row (at most ${int(o.maxRequestsPerRow)}); ${r.passes[0]?.samples.ok && r.passes[0].discardedRecords === 0 ? 'every row stored once it ended' : 'NOT every row was stored'}`,
    );
  }
  lines.push(
    ...iotLines(r),
    '',
    'Device faults (injected -> found)',
    `  gaps: ${int(f.injected.gaps)} injected, ${int(f.injected.droppedSamples)} samples dropped by the watches -> ${int(f.found.gapsInTable)} gaps found in the table, ` +
      `${int(f.found.samplesMissing)} source samples missing (the dropped ones: never recorded, so not lost)`,
    `  empty slots: the store's readRows counts ${int(f.found.missingSlots)} slots where a row's nominal rate expects a sample and none is stored: ` +
      `the dropped samples plus the recordings' own timing jitter; a different figure from the one above, and neither is a loss`,
    `  duplicates: ${int(f.injected.duplicatedRecords)} records resent (${int(f.injected.duplicatedSamples)} samples) -> ${int(f.found.duplicatesDropped)} duplicate samples dropped by the store, ` +
      `${int(f.found.redeliveredRecords)} records redelivered by the runner`,
    `  reordered records ${int(f.injected.reorderedRecords)}, skewed clocks ${int(f.injected.skewedDevices)}` +
      (f.skewedDevices.length > 0
        ? ` (${f.skewedDevices.map((d) => `${d.skewMs > 0 ? '+' : ''}${d.skewMs} ms`).join(', ')})`
        : '') +
      `, phones offline ${int(f.injected.offlinePhones)} (${int(f.injected.skippedFlushes)} flushes skipped, backlog flushed on reconnect)`,
    '',
    `Finished in ${num(r.wallSeconds, 1)} s: ${
      r.ok
        ? `no sample lost or duplicated and no batch discarded in ${r.passes.length === 1 ? 'the pass' : `any of ${r.passes.length} passes`}`
        : 'VERIFICATION FAILED'
    }`,
  );
  return lines.join('\n');
}

/** The MQTT path's section: traffic, faults met, error action, and the IoT Core lines per device-month. */
function iotLines(r: DemoReport): string[] {
  if (r.iot === undefined) return [];
  const { path: p, cost: c } = r.iot;
  const m = c.measured;
  const d = c.perDeviceMonth;
  const b = r.settings.brokerFaults;
  const line = (
    name: string,
    x: {
      connectivity: number;
      messaging: number;
      rulesTriggered: number;
      actionsApplied: number;
      total: number;
    },
  ) =>
    `  ${name}: connectivity ${usd(x.connectivity)} + messaging ${usd(x.messaging)} + rules ${usd(x.rulesTriggered)} + actions ${usd(x.actionsApplied)} = ${usd(x.total)}`;
  return [
    '',
    'MQTT path (device -> local broker -> topic rule -> Kinesis)',
    `  topic ${p.exampleTopic}: QoS 1, payload = the Avro batch unchanged, at most ${int(p.payloadBudget)} B to stay in one 5 KB unit (largest sent ${int(m.maxPayloadBytes)} B)`,
    `  broker faults: ${b === false ? 'off' : `${b.dropsPerSecond} dropped connections/s, ${pct(b.lostPuback)} of PUBACKs lost`} -> ` +
      `${int(p.broker.dropped)} connections dropped, ${int(p.broker.lostPubacks)} before a PUBACK; devices reconnected ${int(p.traffic.disconnects)} times`,
    `  messages: ${int(m.messages)} PUBLISH sent (${int(p.traffic.acknowledged)} acknowledged), ${int(p.rule.matched)} taken by the rule, ` +
      `${int(p.rule.delivered)} Kinesis records, ${int(p.rule.retried)} retried attempts; error action kept ${int(p.errorAction.kept)}, ` +
      `redriven ${int(p.errorAction.redriven)}, left ${int(p.errorAction.left)}; refused by the policy ${int(p.broker.refusedPublishes)}`,
    '',
    `IoT Core per device-month (${c.prices.region}, prices of ${c.prices.checked}; 730 h; measured rates)`,
    `  ${int(d.messages)} messages, ${num(d.meteredUnitsPerMessage, 2)} metered units each (mean ${int(m.meanPayloadBytes)} B payload + ${int(m.meanTopicBytes)} B topic), ` +
      `${int(d.messages)} rules and actions, ${int(d.connectionMinutes)} connection minutes (connected all month; ${pct(m.connectedShare)} of this run's wall time)`,
    line('Basic Ingest ($aws/rules/..., the stack)', d.basicIngest),
    line('ordinary topic (through the broker)', d.withoutBasicIngest),
    `  direct Kinesis path (phones call PutRecords): $0 of these lines; both paths pay the same stream and table`,
    `  messaging at one message a second without Basic Ingest: ${usd(c.messagingAtOnePerSecond)} per device-month (Basic Ingest: $0)`,
  ];
}
