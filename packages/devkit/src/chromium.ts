import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { DevkitError } from './errors.js';

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless, and kept off the network: without these Chromium keeps trying to reach update and sync
// services that this machine (and CI) cannot reach.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium is not installed where {@link CHROMIUM_PATH} says. */
export class ChromiumMissingError extends DevkitError {
  constructor() {
    super(
      'CHROMIUM_MISSING',
      `No Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary`,
    );
  }
}

/**
 * Checks that Chromium is installed, so a browser test can fail once, in its set-up, with the install step.
 *
 * @throws {ChromiumMissingError} when there is no Chromium at {@link CHROMIUM_PATH}.
 */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError();
}

/** Options of {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** Page size in CSS pixels. Default 1200 × 900. */
  viewport?: { width: number; height: number };
}

/**
 * Launches headless Debian Chromium through playwright-core (no browser download) with a fresh profile
 * in the OS temp folder.
 *
 * @throws {ChromiumMissingError} when there is no Chromium at {@link CHROMIUM_PATH}.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<BrowserContext> {
  requireChromium();
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'secondrow-chromium-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1200, height: 900 },
    deviceScaleFactor: 1,
  });
}
