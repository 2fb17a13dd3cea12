import type { Sample } from '@secondrow/codec';
import type { Prng } from '@secondrow/devkit';
import { InvalidSimulatorOptionError } from './errors.js';
import { type SensorFormat, sensorQuantize, WATCH_SENSOR } from './quantize.js';
import type { SampleSource } from './sample-source.js';

/** Activities of the synthetic motion model. */
export type MotionActivity = 'rest' | 'walk' | 'run';

/** Every {@link MotionActivity}. */
export const MOTION_ACTIVITIES: readonly MotionActivity[] = ['rest', 'walk', 'run'];

/** Highest sample rate the simulator produces, Hz. */
export const MAX_RATE_HZ = 100;

/** Parameters of one activity: arm-swing frequency range (Hz), swing amplitude (g), drift (rad/s). */
interface ActivityProfile {
  swingHz: [number, number];
  swingG: number;
  driftRadPerS: number;
}

const PROFILES: Record<MotionActivity, ActivityProfile> = {
  rest: { swingHz: [1, 1], swingG: 0, driftRadPerS: 0.005 },
  walk: { swingHz: [0.9, 1.2], swingG: 0.35, driftRadPerS: 0.05 },
  run: { swingHz: [1.4, 2.5], swingG: 1.2, driftRadPerS: 0.12 },
};

/** Options of {@link createMotionSource}. */
export interface MotionSourceOptions {
  activity: MotionActivity;
  /** Samples per second, 0 < rate ≤ {@link MAX_RATE_HZ}. */
  rateHz: number;
  /** True time of the first sample, integer epoch ms. */
  startMs: number;
  /** Generator for this device's motion (orientation, swing phase, noise). */
  prng: Prng;
  /** Sensor noise, standard deviation in g. Default 0.003 (3 mg). */
  noiseG?: number;
  /** Output format of the simulated sensor. Default ±8 g, 16 bits. */
  sensor?: SensorFormat;
}

/**
 * A synthetic wrist accelerometer: gravity (1 g) along an orientation that drifts slowly, plus a
 * periodic arm swing (with a second harmonic) for walking and running, plus Gaussian sensor noise,
 * clipped and rounded like a 16-bit sensor. Times are `startMs + round(i × 1000 / rateHz)`.
 *
 * @throws {InvalidSimulatorOptionError} when `rateHz` is not in (0, 100].
 */
export function createMotionSource(options: MotionSourceOptions): SampleSource {
  const { activity, rateHz, startMs, prng } = options;
  if (!(rateHz > 0 && rateHz <= MAX_RATE_HZ)) {
    throw new InvalidSimulatorOptionError('rateHz', `rate must be in (0, ${MAX_RATE_HZ}] Hz, got ${rateHz}`);
  }
  const profile = PROFILES[activity];
  if (profile === undefined) {
    throw new InvalidSimulatorOptionError('activity', `unknown activity ${String(activity)}`);
  }
  const noiseG = options.noiseG ?? 0.003;
  const sensor = options.sensor ?? WATCH_SENSOR;
  const dt = 1 / rateHz;
  const swingHz = prng.uniform(profile.swingHz[0], profile.swingHz[1]);
  // Orientation as spherical angles; the watch starts roughly face-up with a random tilt.
  let theta = prng.uniform(0.1, 0.6);
  let phi = prng.uniform(0, 2 * Math.PI);
  let phase = prng.uniform(0, 2 * Math.PI);
  const swingAxis = [prng.uniform(0.6, 1), prng.uniform(-0.5, 0.5), prng.uniform(-0.3, 0.3)] as const;
  let index = 0;
  return {
    label: `synthetic:${activity}@${rateHz}Hz`,
    nominalPeriodMs: 1000 / rateHz,
    next(): Sample {
      const t = startMs + Math.round((index * 1000) / rateHz);
      index++;
      // Slow random walk of the orientation, scaled so the drift rate does not depend on the sample rate.
      const step = profile.driftRadPerS * Math.sqrt(dt);
      theta = Math.min(Math.PI / 2, Math.max(0, theta + step * prng.normal()));
      phi += step * prng.normal();
      phase += 2 * Math.PI * swingHz * dt;
      const swing = profile.swingG * (Math.sin(phase) + 0.35 * Math.sin(2 * phase + 0.7));
      const gx = Math.sin(theta) * Math.cos(phi);
      const gy = Math.sin(theta) * Math.sin(phi);
      const gz = Math.cos(theta);
      return {
        t,
        x: sensorQuantize(gx + swing * swingAxis[0] + noiseG * prng.normal(), sensor),
        y: sensorQuantize(gy + swing * swingAxis[1] + noiseG * prng.normal(), sensor),
        z: sensorQuantize(gz + swing * swingAxis[2] + noiseG * prng.normal(), sensor),
      };
    },
  };
}
