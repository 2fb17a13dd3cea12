/**
 * `pnpm --filter @secondrow/viewer screenshot`: draws the default view of a simulated device (local
 * DynamoDB, fixed times, so the picture only changes when the page does) in headless Chromium and saves
 * it to docs/viewer.png for the README.
 */
import { join } from 'node:path';
import { launchChromium } from '@secondrow/devkit';
import { createStoreSource } from '@secondrow/query';
import { startLocalFleet } from '../src/local-fleet.js';
import { ensurePageBuilt, PACKAGE_DIR } from '../src/page-build.js';
import { startViewerServer } from '../src/viewer-server.js';

const out = join(PACKAGE_DIR, 'docs', 'viewer.png');
const page = await ensurePageBuilt();
const fleet = await startLocalFleet({ devices: 3, endMs: Date.UTC(2026, 11, 4, 10, 0, 0) });
const server = await startViewerServer({
  source: createStoreSource({ client: fleet.aws.dynamodb, tableName: fleet.tableName }),
  pageDir: page.dir,
});
const context = await launchChromium();
try {
  const tab = await context.newPage();
  await tab.goto(server.url);
  await tab.waitForFunction(() => document.body.dataset.status === 'ready');
  // Hover a point so the readout shows in the picture.
  const box = await tab.locator('[data-pane="x"] .u-over').boundingBox();
  if (box !== null) await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await tab.screenshot({ path: out, fullPage: true });
  process.stdout.write(`saved ${out}\n`);
} finally {
  await context.close();
  await server.close();
  await fleet.close();
}
