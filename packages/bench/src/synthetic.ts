import type { Sample } from '@secondrow/codec';
import { Prng } from '@secondrow/devkit';
import { type Corpus, type Device, deviceIdFor, makeCorpus } from './corpus.js';

/** Options of {@link syntheticCorpus}. */
export interface SyntheticOptions {
  /** Sample rate in Hz (1..1000). */
  rateHz: number;
  /** Number of devices. */
  devices: number;
  /** Recorded seconds per device. */
  seconds: number;
  /** PRNG seed, so runs are reproducible. Default 1. */
  seed?: number;
  /** First sample time, epoch ms. Default 2026-01-01T00:00:00Z. */
  startMs?: number;
}

/** Sensor grid of a ±8 g, 16-bit accelerometer: values are multiples of 1/4096 g, as on the Wear OS watch. */
const SENSOR_STEP_G = 1 / 4096;

/**
 * One synthetic wrist: gravity whose direction drifts slowly, an arm swing (about 1 Hz, 0.05–0.4 g) that comes
 * and goes in bouts, white noise of about 10 mg, values on a 1/4096 g grid, a clock up to 0.2% off nominal that starts
 * anywhere in the first second, and 0–2 ms jitter.
 * Not a physiological model: it only has to compress like a real wrist does (smooth, noisy, sometimes still).
 */
export function syntheticSamples(rateHz: number, seconds: number, seed: number, startMs: number): Sample[] {
  const prng = new Prng(seed);
  const random = (): number => prng.next();
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const q = (v: number): number => Math.round(v / SENSOR_STEP_G) * SENSOR_STEP_G;
  const n = Math.round(rateHz * seconds);
  // Real sensor clocks are a little off their nominal rate (here up to ±0.2%) and start anywhere in a second,
  // so phone batches do not line up with second boundaries.
  const periodMs = (1000 / rateHz) * (1 + (random() - 0.5) * 0.004);
  const offsetMs = Math.floor(random() * 1000);
  const samples: Sample[] = [];
  let pitch = random() * Math.PI;
  let roll = random() * Math.PI;
  let swing = 0;
  let lastT = -1;
  for (let i = 0; i < n; i++) {
    const nominal = startMs + offsetMs + i * periodMs;
    // Clock jitter of up to 2 ms, late only, so samples never fall before the first second.
    const t = Math.max(lastT + 1, Math.round(nominal + random() * 2));
    lastT = t;
    const seconds = (t - startMs) / 1000;
    pitch += gauss() * 0.002;
    roll += gauss() * 0.002;
    // Bouts of movement: the swing amplitude relaxes towards a target that changes every ~10 s.
    if (i % Math.max(1, Math.round(rateHz * 10)) === 0) swing = random() < 0.5 ? 0.05 : 0.4 * random();
    const phase = 2 * Math.PI * 1.1 * seconds;
    samples.push({
      t,
      x: q(Math.sin(pitch) + swing * Math.sin(phase) + gauss() * 0.01),
      y: q(Math.cos(pitch) * Math.sin(roll) + 0.5 * swing * Math.sin(2 * phase) + gauss() * 0.01),
      z: q(Math.cos(pitch) * Math.cos(roll) + 0.3 * swing * Math.cos(phase) + gauss() * 0.01),
    });
  }
  return samples;
}

/** Synthetic devices at a chosen rate; see {@link syntheticSamples} for the model. */
export function syntheticCorpus(options: SyntheticOptions): Corpus {
  const seed = options.seed ?? 1;
  const startMs = options.startMs ?? Date.UTC(2026, 0, 1);
  const devices: Device[] = [];
  for (let d = 0; d < options.devices; d++) {
    const source = `synthetic-${d + 1}`;
    devices.push({
      deviceId: deviceIdFor(source),
      source,
      samples: syntheticSamples(options.rateHz, options.seconds, seed * 7919 + d, startMs),
    });
  }
  return makeCorpus(
    'synthetic',
    `synthetic wrist model (gravity + swing + noise), ${options.rateHz} Hz, ${options.devices} device(s) x ${options.seconds} s`,
    devices,
  );
}
