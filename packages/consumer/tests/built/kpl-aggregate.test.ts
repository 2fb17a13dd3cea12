import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonV1, kplAggregate, makeSamples } from '../helpers/records.js';
import { buildPackages, packageDir } from './build-package.js';

const T0 = 1_700_000_000_000;

beforeAll(() => buildPackages(), 300_000);

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
