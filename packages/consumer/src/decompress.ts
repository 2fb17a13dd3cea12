import { gunzipSync } from 'node:zlib';
import { RecordError } from './errors.js';

/**
 * True when `bytes` starts with the gzip magic `1f 8b` (RFC 1952).
 *
 * @param bytes - Record payload.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips a record payload, refusing to produce more than `maxBytes` bytes,
 * so a small zip bomb cannot exhaust the Lambda's memory.
 *
 * @param bytes - gzip bytes (one or more members).
 * @param maxBytes - Largest accepted decompressed size in bytes.
 * @returns The decompressed bytes.
 * @throws {@link RecordError} `TOO_LARGE` when the output would exceed `maxBytes`,
 *   `UNDECODABLE` when the bytes are not valid gzip.
 * @example
 * ```ts
 * const json = gunzipBounded(record, 4 * 1024 * 1024);
 * ```
 */
export function gunzipBounded(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    // zlib stops inflating once maxOutputLength is reached, so memory stays bounded.
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RecordError(
        'TOO_LARGE',
        `gzip payload inflates beyond ${maxBytes} bytes (MAX_RECORD_BYTES)`,
        {
          cause: error,
        },
      );
    }
    throw new RecordError('UNDECODABLE', `invalid gzip data: ${(error as Error).message}`, { cause: error });
  }
}
