/**
 * Ranges ending less than this long before now (ms) are "live": samples for them are still arriving
 * (phones upload in batches every few seconds to minutes), so responses are not cached at all.
 */
export const LIVE_WINDOW_MS = 5 * 60 * 1000;

/**
 * How long a browser may reuse the answer for a closed past range, s. Short, because a phone that was
 * offline can still upload samples of that range later; a chart a few minutes stale is acceptable.
 */
export const CLOSED_RANGE_MAX_AGE_S = 300;

/**
 * `Cache-Control` for a samples response. `private`: device data belongs to one user, so shared caches
 * (CDNs, proxies) must not keep it. `no-store` for live ranges and for strongly consistent reads (the
 * caller asked for the freshest answer).
 *
 * @param toMs - end of the requested range, epoch ms.
 * @param nowMs - the current time, epoch ms.
 */
export function samplesCacheControl(toMs: number, nowMs: number, consistentRead: boolean): string {
  if (consistentRead || toMs > nowMs - LIVE_WINDOW_MS) return 'no-store';
  return `private, max-age=${CLOSED_RANGE_MAX_AGE_S}`;
}
