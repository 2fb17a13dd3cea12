/**
 * `pnpm --filter @secondrow/viewer screenshot`: runs a short demo in real time (`runDemo` at speed 1, so the
 * rows' first write times follow the sample times as they would live), keeps its table in a temp folder (as
 * `pnpm demo --keep` does), serves it as `pnpm viewer` serves a kept table, and saves the view of the kept
 * span for the device with the most late, then missing, seconds to docs/viewer.png for the README. Takes
 * about three minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@secondrow/devkit';
import { createStoreSource, querySamples, type SampleSource } from '@secondrow/query';
import { DEFAULT_FAULT_RATES, type DemoOptions, runDemo } from '@secondrow/simulator';
import { openKeptTable } from '../src/kept-table.js';
import { countSeconds, lateRuns } from '../src/page/quality-lane.js';
import { ensurePageBuilt, PACKAGE_DIR } from '../src/page-build.js';
import { startViewerServer } from '../src/viewer-server.js';

/** What `runDemo` reports of the table it kept. */
type KeptTable = Parameters<NonNullable<DemoOptions['onKept']>>[0];

const DEVICES = 6;
const DURATION_S = 120;

/** A device's late and missing seconds, and the whole seconds its samples span, epoch ms. */
interface DeviceView {
  deviceId: string;
  late: number;
  missing: number;
  fromMs: number;
  toMs: number;
}

/**
 * The device whose samples show the most late seconds, then the most missing ones, over the kept span
 * `[fromMs, toMs)` (whole seconds), with the seconds its own samples span (a skewed clock shifts them).
 */
async function pickDevice(source: SampleSource, fromMs: number, toMs: number): Promise<DeviceView> {
  let best: DeviceView | undefined;
  for (const device of await source.devices()) {
    const result = await querySamples(source, {
      deviceId: device.deviceId,
      fromMs,
      toMs,
      // One bucket per second.
      maxPoints: Math.ceil((toMs - fromMs) / 1000),
      mode: 'envelope',
      consistentRead: false,
      qualityStepMs: 1000,
    });
    if (result.mode !== 'envelope') continue;
    const { count, bucketMs } = result.envelope;
    const first = count.findIndex((n) => n > 0);
    const last = count.findLastIndex((n) => n > 0);
    if (first < 0) continue;
    const steps = (result.qualitySteps?.steps ?? []).map((s) => ({
      from: s.fromMs,
      to: s.toMs,
      latenessMs: s.latenessMs,
    }));
    const view = {
      deviceId: device.deviceId,
      late: countSeconds(lateRuns(steps)),
      missing: result.quality.missingSeconds,
      fromMs: fromMs + first * bucketMs,
      toMs: Math.min(toMs, fromMs + (last + 1) * bucketMs),
    };
    if (
      best === undefined ||
      view.late > best.late ||
      (view.late === best.late && view.missing > best.missing)
    ) {
      best = view;
    }
  }
  if (best === undefined) throw new Error('the demo kept no samples');
  return best;
}

const out = join(PACKAGE_DIR, 'docs', 'viewer.png');
const keep = mkdtempSync(join(tmpdir(), 'viewer-screenshot-demo-'));
try {
  process.stdout.write(
    `running the demo in real time: ${DEVICES} devices × ${DURATION_S} s, half the phones going offline once, kept in ${keep}…\n`,
  );
  let kept: KeptTable | undefined;
  await runDemo({
    keep,
    onKept: (table) => {
      kept = table;
    },
    devices: DEVICES,
    durationSeconds: DURATION_S,
    speed: 1,
    faults: { ...DEFAULT_FAULT_RATES, offline: 0.5 },
    compareBatchSizes: false,
    ceilings: false,
    progress: false,
  });
  if (kept === undefined) throw new Error('the demo kept no table');
  // The kept table's exact span: the registry's last times are upper bounds, up to an hour ahead.
  const { fromMs, toMs } = kept;
  const page = await ensurePageBuilt();
  const table = await openKeptTable(keep);
  try {
    const source = createStoreSource({ client: table.aws.dynamodb, tableName: table.tableName });
    const device = await pickDevice(source, fromMs, toMs);
    process.stdout.write(
      `drawing ${device.deviceId}: ${device.late} s late, ${device.missing} s missing over its range\n`,
    );
    const server = await startViewerServer({ source, pageDir: page.dir });
    const context = await launchChromium();
    try {
      const tab = await context.newPage();
      await tab.goto(
        `${server.url}?device=${encodeURIComponent(device.deviceId)}&from=${device.fromMs}&to=${device.toMs}`,
      );
      await tab.waitForFunction(() => document.body.dataset.status === 'ready');
      // Hover a point so the readout shows in the picture.
      const box = await tab.locator('[data-pane="x"] .u-over').boundingBox();
      if (box !== null) await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await tab.screenshot({ path: out, fullPage: true });
      process.stdout.write(`saved ${out}\n`);
    } finally {
      await context.close();
      await server.close();
    }
  } finally {
    await table.close();
  }
} finally {
  rmSync(keep, { recursive: true, force: true });
}
