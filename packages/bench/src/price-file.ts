import { readFileSync } from 'node:fs';
import {
  DYNAMODB_PRICES,
  IOT_CORE_PRICES,
  KINESIS_PRICES,
  LAMBDA_PRICES,
  SQS_PRICES,
} from '@secondrow/devkit';
import { ArgumentError } from './errors.js';
import type { PipelinePrices } from './pipeline-cost.js';

/** The dated price sheets of every service the pipeline uses (devkit's constants). */
export const DEFAULT_PIPELINE_PRICES: Readonly<PipelinePrices> = Object.freeze({
  dynamodb: DYNAMODB_PRICES,
  kinesis: KINESIS_PRICES,
  lambda: LAMBDA_PRICES,
  sqs: SQS_PRICES,
  iot: IOT_CORE_PRICES,
});

const SECTIONS = Object.keys(DEFAULT_PIPELINE_PRICES) as (keyof PipelinePrices)[];
const TEXT_FIELDS = new Set(['region', 'checked', 'source', 'architecture']);

/**
 * The price sheets with the overrides of a JSON file laid over them: `{ "kinesis": { "shardHourUsd": 0.017 },
 * "region": "eu-west-1", "checked": "2026-12-01" }`. Sections are those of {@link PipelinePrices}; numbers
 * must be finite and non-negative; `region` and `checked` at the top apply to every sheet. Each overridden
 * sheet's `source` says so.
 * @param base The sheets to start from (the DynamoDB one may carry `--price-*` overrides already).
 * @throws {ArgumentError} (flag `prices`) when the file cannot be read or parsed, or names an unknown
 *   section or field, or gives a value of the wrong type.
 */
export function readPriceFile(path: string, base: PipelinePrices = DEFAULT_PIPELINE_PRICES): PipelinePrices {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ArgumentError('prices', `--prices ${path}: ${(error as Error).message}`, { cause: error });
  }
  return applyPriceOverrides(parsed, base, path);
}

/**
 * {@link readPriceFile} on an already parsed document.
 * @throws {ArgumentError} as {@link readPriceFile}.
 */
export function applyPriceOverrides(doc: unknown, base: PipelinePrices, label: string): PipelinePrices {
  const fail = (what: string): never => {
    throw new ArgumentError('prices', `--prices ${label}: ${what}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('expected a JSON object');
  const out = Object.fromEntries(SECTIONS.map((s) => [s, { ...base[s] }])) as unknown as Record<
    keyof PipelinePrices,
    Record<string, unknown>
  >;
  const top = doc as Record<string, unknown>;
  for (const [key, value] of Object.entries(top)) {
    if (key === 'region' || key === 'checked') {
      if (typeof value !== 'string' || value === '') fail(`"${key}" must be a non-empty string`);
      for (const s of SECTIONS) {
        out[s][key] = value;
        out[s].source = `${String(out[s].source)}; ${key} set by --prices ${label}`;
      }
      continue;
    }
    if (!SECTIONS.includes(key as keyof PipelinePrices))
      fail(`unknown section "${key}"; known: ${SECTIONS.join(', ')}, region, checked`);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(`"${key}" must be an object of prices`);
    const sheet = out[key as keyof PipelinePrices];
    for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
      if (!(field in sheet)) fail(`unknown field "${key}.${field}"; known: ${Object.keys(sheet).join(', ')}`);
      if (TEXT_FIELDS.has(field)) {
        if (typeof v !== 'string') fail(`"${key}.${field}" must be a string`);
      } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        fail(`"${key}.${field}" must be a non-negative number, got ${JSON.stringify(v)}`);
      } else if (v === 0 && /(Bytes|PerSecond|Shards)$/.test(field)) {
        // Sizes and limits divide: zero would make every figure infinite.
        fail(`"${key}.${field}" must be greater than 0`);
      }
      sheet[field] = v;
    }
    if (!('source' in (value as object)))
      sheet.source = `${String(sheet.source)}; overridden by --prices ${label}`;
  }
  return out as unknown as PipelinePrices;
}
