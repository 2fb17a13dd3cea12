import type { QuarantineEntry, QuarantineWriter } from '@secondrow/consumer';

/**
 * An in-memory quarantine keeping what it was given in `entries`; the entries `failFor` picks fail with a
 * throttling error instead, as DynamoDB's would.
 */
export function memoryQuarantine(
  failFor: (entry: QuarantineEntry) => boolean = () => false,
): QuarantineWriter & { entries: QuarantineEntry[] } {
  const entries: QuarantineEntry[] = [];
  return {
    entries,
    async put(entry) {
      if (failFor(entry)) throw new Error('ProvisionedThroughputExceededException');
      entries.push(entry);
      return 'written';
    },
  };
}
