import { RequestError } from './errors.js';
import { DEFAULT_QUALITY_STEP_MS } from './limits.js';
import type { QualityQuery } from './quality-steps.js';
import { checkDeviceId, checkParameterNames, parseConsistent } from './samples-request.js';
import { parseStepParam } from './step-param.js';
import { parseTimeParam } from './time-param.js';

/** Query parameters `GET /api/devices/{deviceId}/quality` accepts; any other is refused. */
export const QUALITY_PARAMETERS = ['from', 'to', 'step', 'consistent'] as const;

/**
 * Validates a quality request without reading anything: the device id, `from`/`to` (epoch ms or
 * ISO-8601, `from < to`), `step` (whole seconds, 1 to 86,400, default 60, at most
 * `MAX_QUALITY_STEPS` (1,440) steps over the range) and `consistent` (`true`/`false`, default false).
 *
 * @param deviceId - the path segment, already percent-decoded.
 * @param params - the query string, each parameter at most once.
 * @throws {RequestError} 400: `MISSING_PARAMETER`, `INVALID_TIME`, `EMPTY_RANGE`, `INVALID_STEP` (malformed,
 *   or too many steps for the range), `INVALID_PARAMETER`.
 */
export function parseQualityRequest(deviceId: string, params: URLSearchParams): QualityQuery {
  checkDeviceId(deviceId);
  checkParameterNames(params, QUALITY_PARAMETERS);
  const time = (name: 'from' | 'to'): number => {
    const text = params.get(name);
    if (text === null) {
      throw new RequestError('MISSING_PARAMETER', 400, `${name} is required (epoch ms or ISO-8601)`, {
        parameter: name,
      });
    }
    return parseTimeParam(name, text);
  };
  const fromMs = time('from');
  const toMs = time('to');
  if (fromMs >= toMs) {
    throw new RequestError('EMPTY_RANGE', 400, `from (${fromMs}) must be before to (${toMs})`, {
      parameter: 'from',
    });
  }
  const stepText = params.get('step');
  // The default step too must give at most MAX_QUALITY_STEPS steps.
  const stepMs = parseStepParam('step', stepText ?? String(DEFAULT_QUALITY_STEP_MS / 1000), fromMs, toMs);
  return { deviceId, fromMs, toMs, stepMs, consistentRead: parseConsistent(params) };
}
