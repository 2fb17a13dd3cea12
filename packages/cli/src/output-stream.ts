import type { Writable } from 'node:stream';
import { WriteFailedError } from './errors.js';

/**
 * Writes `chunk` to `out` and waits until the stream has handed it on (its write callback), so a slow
 * consumer (a pipe, a disk) holds the reader back instead of filling memory, and a failed write (EPIPE,
 * ENOSPC) is reported for the chunk that hit it rather than lost after the last one.
 *
 * @throws {WriteFailedError} when the stream fails or is closed; `cause` keeps the stream's error.
 */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (out.destroyed) {
    const cause = out.errored ?? undefined;
    throw new WriteFailedError(`the output is closed${cause ? `: ${cause.message}` : ''}`, { cause });
  }
  await new Promise<void>((resolve, reject) => {
    out.write(chunk, (error?: Error | null) => {
      if (error)
        reject(new WriteFailedError(`writing the output failed: ${error.message}`, { cause: error }));
      else resolve();
    });
  });
}
