import { packRows, type Row, type Sample } from '@secondrow/codec';
import { emptyReport, StoreError, type WriteReport } from '@secondrow/codec/dynamodb';
import type { SampleWriter } from '@secondrow/consumer';

/**
 * An in-memory stand-in for SampleStore.writeMany that fails the rows `fails` picks: `true` fails one with
 * `DEADLINE_EXCEEDED`, an error fails it with that error.
 */
export function fakeStore(fails: (deviceId: string, row: Row) => boolean | Error = () => false) {
  const calls: {
    entries: { deviceId: string; samples: readonly Sample[]; arrivalMs?: number }[];
    deadline: number | undefined;
  }[] = [];
  const store: SampleWriter & { calls: typeof calls } = {
    calls,
    async writeMany(entries, options = {}) {
      calls.push({ entries: [...entries], deadline: options.deadline });
      const byDevice = new Map<string, Sample[]>();
      for (const { deviceId, samples } of entries)
        byDevice.set(deviceId, [...(byDevice.get(deviceId) ?? []), ...samples]);
      const report: WriteReport = emptyReport();
      for (const [deviceId, samples] of byDevice) {
        for (const row of packRows(samples)) {
          const failure = fails(deviceId, row);
          if (failure !== false) {
            const error = failure === true ? new StoreError('DEADLINE_EXCEEDED', 'deadline') : failure;
            report.failed.push({ deviceId, row, error: error as StoreError });
            continue;
          }
          report.rowsWritten++;
          report.writeUnits++;
          report.samplesStored += row.samples.length;
          report.duplicatesDropped += row.duplicates;
        }
      }
      return report;
    },
  };
  return store;
}
