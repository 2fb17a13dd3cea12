import { RequestError } from './errors.js';

/** Latest time a JavaScript Date can hold, epoch ms. */
const MAX_EPOCH_MS = 8.64e15;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Parses a time query parameter: integer epoch ms (`1733270400000`), or ISO-8601 as a date
 * (`2026-12-04`, midnight UTC) or a date-time with a time zone (`2026-12-04T10:00:00.250Z`,
 * `2026-12-04T11:00+01:00`). A date-time without a zone is refused: its meaning would depend on the
 * server's zone. Fractions of a millisecond are truncated.
 *
 * @param name - the parameter's name, for the error.
 * @returns epoch ms, an integer in [0, 8.64e15].
 * @throws {RequestError} `INVALID_TIME` naming the parameter.
 */
export function parseTimeParam(name: string, value: string): number {
  const invalid = (why: string): RequestError =>
    new RequestError(
      'INVALID_TIME',
      400,
      `${name} must be integer epoch ms or ISO-8601 with a time zone (${why}), got ${JSON.stringify(value.slice(0, 64))}`,
      { parameter: name },
    );
  if (/^\d{1,16}$/.test(value)) {
    const ms = Number(value);
    if (ms > MAX_EPOCH_MS) throw invalid('beyond the latest date');
    return ms;
  }
  const m = ISO.exec(value);
  if (m === null) throw invalid('unrecognized format');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone, zh = '0', zm = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw invalid('no such date or time');
  }
  if (Number(zh) > 23 || Number(zm) > 59) throw invalid('no such time zone offset');
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const offsetMin =
    zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMin * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; epoch times before 1970 are not sample times anyway.
  if (year < 1970 || !(ms >= 0 && ms <= MAX_EPOCH_MS)) throw invalid('before 1970 or beyond the latest date');
  return ms;
}
