import type { Prices } from '@secondrow/devkit';
import type { CorpusSummary } from './corpus.js';

/** Dollars per device-month, on-demand capacity. */
export interface UsdPerDeviceMonth {
  writes: number;
  reads: number;
  storage: number;
  total: number;
}

/** Figures for one layout (one entry of the `--json` `layouts` array; the first keys are the stable shape). */
export interface LayoutResult {
  layout: string;
  /** Bytes of the attributes that carry samples (names included) per sample, by DynamoDB's size rules. */
  payloadBytesPerSample: number;
  /** Mean item size, bytes, by DynamoDB's rules (codec `itemSize`). */
  meanItemBytes: number;
  /** Largest item, bytes. */
  maxItemBytes: number;
  /** Items per device-hour of recording. */
  itemsPerDeviceHour: number;
  /** Write units per device-second, computed by the rules (codec `writeUnits`) on the whole corpus. */
  wruPerDeviceSecond: number;
  /** Write units per device-second reported by dynalite (ReturnConsumedCapacity) for the items written. */
  wruPerDeviceSecondMeasured: number;
  /** Read units to Query one device-hour, eventually consistent, computed by the rules. */
  rruPerDeviceHour: number;
  /** Storage per device-day including DynamoDB's 100-byte per-item overhead, bytes. */
  storageBytesPerDeviceDay: number;
  usdPerDeviceMonth: UsdPerDeviceMonth;
  /** Encoding samples into items (SDK-ready), ns per sample. */
  encodeNsPerSample: number;
  /** Decoding items back into samples, ns per sample. */
  decodeNsPerSample: number;
  /** Read units for one device-hour measured on dynalite, scaled from the span written. */
  rruPerDeviceHourMeasured: number;
  /** Provisioned write capacity for the stated fleet. */
  provisioned: { fleet: number; wcu: number; usdPerDeviceMonth: number };
  /** Computed-vs-measured check on exactly the items written to dynalite. */
  check: UnitCheck;
  description: string;
  items: number;
}

/** Computed and measured capacity on the same items. */
export interface UnitCheck {
  /** Items written to dynalite (a prefix of each device when the corpus is large). */
  itemsWritten: number;
  /** Device-seconds those items cover. */
  deviceSeconds: number;
  writeUnitsComputed: number;
  writeUnitsMeasured: number;
  readUnitsComputed: number;
  readUnitsMeasured: number;
  /** True when both pairs are equal. */
  agree: boolean;
}

/** One write strategy run against dynalite (one entry of the `--json` `strategies` array). */
export interface StrategyResult {
  strategy: string;
  layout: string;
  items: number;
  samples: number;
  seconds: number;
  itemsPerSecond: number;
  samplesPerSecond: number;
  /** Write units DynamoDB reported (for `sample-store`: as reported by SampleStore, merges included). */
  writeUnits: number;
  /** Read units spent (SampleStore reads rows back to merge them; 0 for the others). */
  readUnits: number;
  /** Rows SampleStore rewrote to merge samples into them (split windows); 0 for the other strategies. */
  rowsMerged: number;
  /** Device-seconds of data written. */
  deviceSeconds: number;
  /** writeUnits / deviceSeconds. */
  wruPerDeviceSecond: number;
}

/** One of the benchmark's targets and how the run did. */
export interface TargetResult {
  name: string;
  target: string;
  measured: string;
  /** `met`, `missed`, or `n/a` when the run did not include what the target needs. */
  status: 'met' | 'missed' | 'n/a';
  /** Why a target was missed, when the run can tell. */
  note?: string;
}

/** The whole run, as `--json` prints it. */
export interface BenchResult {
  layouts: LayoutResult[];
  strategies: StrategyResult[];
  prices: Prices;
  data: CorpusSummary & {
    droppedRepeats: number;
    sources: string[];
  };
  assumptions: {
    activeHoursPerDay: number;
    retentionDays: number;
    queryPattern: string;
    readsPerDeviceHour: number;
    fleet: number;
    provisionedTargetUtilization: number;
    hoursPerMonth: number;
    /** Seconds between Kinesis flushes in the `sample-store` strategy. */
    flushSeconds: number;
  };
  targets: TargetResult[];
  runtimeSeconds: number;
  generatedAt: string;
}
