import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonV1, kplAggregate, makeSamples } from '../helpers/records.js';
import { buildPackages, packageDir } from './build-package.js';

// One build for the file: the tests of this folder that share dist/ must not rebuild it while another runs.
beforeAll(() => buildPackages(), 300_000);

const T0 = 1_700_000_000_000;

function parseWithBuilt(fixture: string, record: Uint8Array): unknown {
  const out = execFileSync(
    process.execPath,
    [join(packageDir, 'tests/built/fixtures', fixture), Buffer.from(record).toString('base64')],
    { cwd: packageDir, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('the built package decodes KPL aggregates', () => {
  it.each([
    ['as an ES module (dist/index.js)', 'parse-kpl.mjs'],
    ['through require (dist/index.cjs)', 'parse-kpl.cjs'],
  ])('%s', async (_name, fixture) => {
    const record = await kplAggregate([
      jsonV1('watch-1', makeSamples(T0, 5)),
      jsonV1('watch-2', makeSamples(T0, 7)),
    ]);
    expect(parseWithBuilt(fixture, record)).toEqual([
      { ok: true, deviceId: 'watch-1', samples: 5 },
      { ok: true, deviceId: 'watch-2', samples: 7 },
    ]);
  });
});

/** Every variable loadConfig reads, plus the one the old module scope looked at. */
const CONSUMER_ENV = new Set([
  'TABLE_NAME',
  'QUARANTINE_TABLE_NAME',
  'WINDOW_SECONDS',
  'RESOLUTION_G',
  'RANGE_G',
  'MAX_SAMPLES_PER_RECORD',
  'MAX_RECORD_BYTES',
  'DEADLINE_MARGIN_MS',
  'TTL_SECONDS',
  'WRITE_MAX_ATTEMPTS',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
  'AWS_LAMBDA_FUNCTION_NAME',
]);

describe('importing the built package', () => {
  it('reads no environment, builds no client and prints nothing, even in a Lambda-like bad environment', () => {
    const result = spawnSync(process.execPath, [join(packageDir, 'tests/built/fixtures/import-index.mjs')], {
      cwd: packageDir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        // What made the old module scope build the production handler, with a configuration it rejects.
        AWS_LAMBDA_FUNCTION_NAME: 'secondrow-consumer',
        TABLE_NAME: '',
        WINDOW_SECONDS: 'seven',
        AWS_REGION: 'not a region',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Node's loader and the AWS SDK / Powertools modules read a few flags of their own at import
    // (AWS_EXECUTION_ENV, NODE_V8_COVERAGE, ...); what the consumer reads to build its handler and
    // client must stay unread until createHandlerFromEnv is called.
    const { envRead } = JSON.parse(result.stdout) as { envRead: string[] };
    expect(
      envRead.filter(
        (name) =>
          CONSUMER_ENV.has(name) || /^(AWS_REGION|AWS_ENDPOINT_URL|AWS_PROFILE|AWS_ACCESS_KEY)/.test(name),
      ),
    ).toEqual([]);
    expect(envRead).not.toContain('*');
  });
});
