import { Prng } from '@secondrow/devkit';

/** Region prefix of the simulated Cognito identity ids. */
export const DEVICE_ID_REGION = 'us-east-1';

/**
 * Cognito-style identity id of simulated device `index`: `us-east-1:` followed by a
 * version-4 UUID drawn from a generator seeded with `seed` and `index`, so the same
 * seed always names the same devices and distinct indexes give distinct ids.
 *
 * @example deviceId('demo', 0) // 'us-east-1:3f0c…'
 */
export function deviceId(seed: string | number, index: number): string {
  return `${DEVICE_ID_REGION}:${Prng.derive(seed, 'device-id', index).uuidV4()}`;
}

/** Ids of devices `0 .. count - 1` for `seed` (see {@link deviceId}). */
export function deviceIds(seed: string | number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => deviceId(seed, index));
}

/** True when `id` looks like a Cognito identity id: `<region>:<uuid>`. */
export function isCognitoStyleId(id: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
    id,
  );
}
