import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../src/progress.js';
import { sleep } from '../src/sleep.js';

/** A stand-in for a terminal or a pipe that keeps what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = {
    isTTY,
    columns: 80,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('ProgressBar', () => {
  it('draws a bar in place on a terminal, no sooner than delayMs and no more often than redrawMs', () => {
    let now = 0;
    const stream = fakeStream(true);
    const bar = new ProgressBar({ stream, delayMs: 1000, redrawMs: 100, now: () => now });
    bar.update(0.5, 'half');
    expect(stream.text).toBe('');
    now = 1000;
    bar.update(0.5, 'half');
    expect(stream.text).toBe(`\r\x1b[K[${'#'.repeat(12)}${'.'.repeat(12)}] half`);
    now = 1050;
    bar.update(1, 'all');
    expect(stream.text).not.toContain('all');
    bar.finish();
    expect(stream.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('prints plain lines off a terminal only when asked, and nothing when quiet', () => {
    let now = 0;
    const piped = fakeStream(false);
    const silent = new ProgressBar({ stream: piped, now: () => now });
    const plain = new ProgressBar({ stream: piped, plainIntervalMs: 5000, now: () => now });
    const quiet = new ProgressBar({ stream: fakeStream(true), quiet: true, now: () => now });
    for (now = 0; now <= 10_000; now += 1000) {
      silent.update(0.1, 'silent');
      plain.update(0.1, 'plain');
      quiet.update(0.1, 'quiet');
    }
    expect(piped.text).toBe('plain\nplain\n');
  });
});

describe('sleep()', () => {
  it('ends at once when the signal is aborted, and never rejects', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(sleep(1_000, controller.signal)).resolves.toBeUndefined();
    await expect(sleep(0)).resolves.toBeUndefined();
  });
});
