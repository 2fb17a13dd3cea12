/**
 * The view's state as it lives in the page URL's query string (`?device=…&from=…&to=…`), so a copied link
 * reproduces the view. Pure: reads and writes query strings, never `location`.
 */

/** What the URL holds. Every field is optional: a fresh URL picks the first device and its whole range. */
export interface ViewState {
  /** Device id. */
  device?: string;
  /** Start of the range shown, epoch ms (integer). */
  from?: number;
  /** Exclusive end of the range shown, epoch ms (integer), greater than `from`. */
  to?: number;
}

const TIME = /^\d{1,16}$/;

/**
 * Reads a {@link ViewState} from a query string (with or without the leading `?`). A `from`/`to` that is
 * not a whole non-negative epoch ms, or a pair with `from >= to`, is dropped (both times), so a mangled link
 * falls back to the device's whole range instead of asking the API for nonsense; the device is kept as
 * given, and an unknown one is reported by the API.
 */
export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state: ViewState = {};
  const device = params.get('device');
  if (device !== null && device !== '') state.device = device;
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (from !== undefined && to !== undefined && from < to) {
    state.from = from;
    state.to = to;
  }
  return state;
}

/** Writes a {@link ViewState} as a query string with a leading `?` (empty string for an empty state). */
export function formatViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.device !== undefined) params.set('device', state.device);
  if (state.from !== undefined && state.to !== undefined) {
    params.set('from', String(state.from));
    params.set('to', String(state.to));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function parseTime(text: string | null): number | undefined {
  if (text === null || !TIME.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
