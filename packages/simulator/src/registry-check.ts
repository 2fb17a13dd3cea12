/** A device range as the registry lists it, or as the ground truth spans it (epoch ms, inclusive). */
export interface DeviceSpan {
  firstMs: number;
  lastMs: number;
}

/** What the device registry showed after a pass, against the ground truth. */
export interface RegistryCheck {
  /** Devices with ground-truth samples. */
  devices: number;
  /** Of those, devices the registry lists. */
  listed: number;
  /** Devices with samples the registry does not list. */
  missing: string[];
  /** Devices the registry lists with a range that does not cover their ground truth. */
  notCovering: { deviceId: string; truth: DeviceSpan; registry: DeviceSpan }[];
  /** True when every device is listed with a covering range. */
  ok: boolean;
}

/**
 * Checks that the registry lists every device of the ground truth with a range covering it:
 * `firstMs <= truth.firstMs` and `lastMs >= truth.lastMs` (the registry's `lastMs` is an upper bound).
 *
 * @param truth - each device's first and last ground-truth sample time.
 * @param listed - the registry's listing (other devices in it are ignored).
 */
export function checkRegistry(
  truth: ReadonlyMap<string, DeviceSpan>,
  listed: ReadonlyMap<string, DeviceSpan>,
): RegistryCheck {
  const missing: string[] = [];
  const notCovering: RegistryCheck['notCovering'] = [];
  for (const [deviceId, span] of truth) {
    const range = listed.get(deviceId);
    if (range === undefined) missing.push(deviceId);
    else if (range.firstMs > span.firstMs || range.lastMs < span.lastMs) {
      notCovering.push({ deviceId, truth: span, registry: range });
    }
  }
  return {
    devices: truth.size,
    listed: truth.size - missing.length,
    missing,
    notCovering,
    ok: missing.length === 0 && notCovering.length === 0,
  };
}
