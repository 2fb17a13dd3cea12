import type { Percentiles } from '@secondrow/devkit';
import type { DemoReport } from './demo-report.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const num = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (n: number): string => `$${n.toFixed(n < 10 ? 3 : 2)}`;
const ms = (p: Percentiles | null): string =>
  p === null ? 'n/a' : `p50 ${int(p.p50)}  p90 ${int(p.p90)}  p99 ${int(p.p99)}  max ${int(p.max)} ms`;

/** The demo report as the text the CLI prints. */
export function formatReport(r: DemoReport): string {
  const s = r.settings;
  const v = r.samples;
  const c = r.capacity;
  const f = r.faults;
  const lines: string[] = [];
  lines.push(
    `secondrow demo (${s.target}${s.servers === undefined ? '' : ` servers on ${s.servers === 'thread' ? 'their own thread' : 'the main thread'}`}: stream ${s.streamName}${s.shards === undefined ? '' : `, ${s.shards} shards`}, table ${s.tableName})`,
    `  ${s.devices} devices × ${s.durationSeconds} s at ${s.rateHz} Hz, source ${s.source}, format ${s.format}, speed ${s.speed}, ` +
      `flush every ${s.flushIntervalSeconds} s, Lambda batch size ${s.batchSize}, ${s.windowSeconds} s rows, seed ${s.seed}`,
    `  fault rates: ${Object.entries(s.faults)
      .map(([k, x]) => `${k} ${x}`)
      .join(', ')}`,
    '',
    'Samples',
    `  produced ${int(v.produced)}  distinct ${int(v.distinct)}  stored ${int(v.stored)}  lost ${int(v.lost)}  duplicated ${int(v.duplicated)}  wrong values ${int(v.wrongValues)}  -> ${r.ok ? 'OK' : 'FAILED'}`,
  );
  for (const p of v.problems) lines.push(`    ${p}`);
  lines.push(
    '',
    'DynamoDB capacity',
    `  rows ${int(c.rows)} (mean ${int(c.meanRowBytes)} B)  write units ${num(c.writeUnits, 0)}  read units ${num(c.readUnits, 1)} (consumer) + ${num(c.verifyReadUnits, 1)} (verification, estimated)`,
    `  write units per device-second ${num(c.writeUnitsPerDeviceSecond, 3)}  vs one item per sample ${num(c.perSample.writeUnitsPerDeviceSecond, 1)} (${int(c.perSample.itemBytes)} B items)`,
    `  on-demand writes per device-month: ${usd(c.usdPerDeviceMonth)} as rows vs ${usd(c.perSample.usdPerDeviceMonth)} per sample ` +
      `($${c.prices.writeUsdPerMillion}/M write units, ${c.prices.region}, ${c.prices.asOf})`,
    `  store: rows written ${int(c.store.rowsWritten)}, merged ${int(c.store.rowsMerged)}, unchanged ${int(c.store.rowsUnchanged)}, ` +
      `conditional-check failures ${int(c.store.conditionalCheckFailures)}, retries ${int(c.store.retries)}, failed rows ${int(c.store.failedRows)}`,
  );
  for (const other of r.comparison) {
    lines.push(
      `  batch size ${String(other.batchSize).padStart(3)}: ${num(other.writeUnitsPerDeviceSecond, 3)} write units per device-second, ${usd(other.usdPerDeviceMonth)} per device-month, ${int(other.rows)} rows`,
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
      `handler: ${int(t.runner.invocations)} invocations over ${t.runner.shards} shards, ${int(t.runner.retries)} retries`,
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
  lines.push(
    '',
    'Faults (injected -> found)',
    `  gaps: ${int(f.injected.gaps)} injected (${int(f.injected.droppedSamples)} samples dropped) -> ${int(f.found.gapsInTable)} found in the table ` +
      `(${int(f.found.samplesMissing)} samples missing); the store's readRows counts ${int(f.found.missingSlots)} missing slots (recordings' own jitter included)`,
    `  duplicates: ${int(f.injected.duplicatedRecords)} records resent (${int(f.injected.duplicatedSamples)} samples) -> ${int(f.found.duplicatesDropped)} duplicate samples dropped by the store, ` +
      `${int(f.found.redeliveredRecords)} records redelivered by the runner`,
    `  reordered records ${int(f.injected.reorderedRecords)}, skewed clocks ${int(f.injected.skewedDevices)}` +
      (f.skewedDevices.length > 0
        ? ` (${f.skewedDevices.map((d) => `${d.skewMs > 0 ? '+' : ''}${d.skewMs} ms`).join(', ')})`
        : '') +
      `, phones offline ${int(f.injected.offlinePhones)} (${int(f.injected.skippedFlushes)} flushes skipped, backlog flushed on reconnect)`,
    '',
    `Finished in ${num(r.wallSeconds, 1)} s: ${r.ok ? 'no sample lost or duplicated' : 'VERIFICATION FAILED'}`,
  );
  return lines.join('\n');
}
