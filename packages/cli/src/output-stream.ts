import type { Writable } from 'node:stream';
import { WriteFailedError } from './errors.js';

/**
 * Writes `chunk` to `out` and waits while the stream's buffer is full, so a slow consumer (a pipe, a disk)
 * holds the reader back instead of filling memory.
 *
 * @throws {WriteFailedError} when the stream fails (e.g. EPIPE, ENOSPC); `cause` kept.
 */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (out.destroyed) throw new WriteFailedError('the output is closed');
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', done);
      out.off('close', onClose);
      if (error === undefined) resolve();
      else reject(new WriteFailedError(`writing the output failed: ${error.message}`, { cause: error }));
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('the output closed early'));
    out.once('drain', onDrain);
    out.once('error', done);
    out.once('close', onClose);
  });
}
