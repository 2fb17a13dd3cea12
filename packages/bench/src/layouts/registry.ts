import { ArgumentError } from '../errors.js';
import { codecRowLayout } from './codec-row.js';
import type { Layout } from './layout.js';
import { perSample } from './per-sample.js';
import { perSampleAvro } from './per-sample-avro.js';
import { perSecondDeflate } from './per-second-deflate.js';
import { perSecondLists } from './per-second-lists.js';
import { perSecondNative } from './per-second-native.js';

/** Every layout the bench knows, in report order: from the 2015 original to the longest codec window. */
export const LAYOUTS: readonly Layout[] = [
  perSample,
  perSampleAvro,
  perSecondNative,
  perSecondLists,
  perSecondDeflate,
  codecRowLayout(1),
  codecRowLayout(2),
  codecRowLayout(4),
  codecRowLayout(10),
  codecRowLayout(60),
];

/**
 * Picks layouts by name, keeping report order.
 * @param names Layout names; all layouts when undefined.
 * @throws {ArgumentError} naming an unknown layout.
 */
export function selectLayouts(names: readonly string[] | undefined): Layout[] {
  if (names === undefined) return [...LAYOUTS];
  for (const name of names) {
    if (!LAYOUTS.some((l) => l.name === name)) {
      throw new ArgumentError(
        'layouts',
        `unknown layout "${name}"; known: ${LAYOUTS.map((l) => l.name).join(', ')}`,
      );
    }
  }
  return LAYOUTS.filter((l) => names.includes(l.name));
}
