import type { EnvelopeBody, RawBody, SamplesBody } from '@secondrow/query';

/** The four panes, in page order: the three axes and the magnitude `sqrt(x² + y² + z²)`, all in g. */
export const PANE_KEYS = ['x', 'y', 'z', 'mag'] as const;

/** One pane. */
export type PaneKey = (typeof PANE_KEYS)[number];

/**
 * What one pane plots, as uPlot data: `[t, ...series]`, t in epoch ms. Raw: one series of values.
 * Envelope: `[t, min, max]`, t at each bucket's middle; `null` where a bucket is empty.
 */
export type PaneData = [number[], ...Array<Array<number | null>>];

/** A samples body mapped for the charts. */
export interface ChartData {
  mode: 'raw' | 'envelope';
  /** The range the body covers, epoch ms. */
  fromMs: number;
  toMs: number;
  /** Per pane, its uPlot data. */
  panes: Record<PaneKey, PaneData>;
  /**
   * Per pane, the points that carry a value (raw samples, or non-empty buckets): the `null`s that break a
   * line at a gap are not counted.
   */
  points: Record<PaneKey, number>;
}

/** Maps a samples body to uPlot data for the four panes. */
export function chartData(body: SamplesBody): ChartData {
  return body.mode === 'raw' ? rawChartData(body) : envelopeChartData(body);
}

/**
 * Raw samples as lines. A `null` is put at the start of each gap that falls between two samples, so uPlot
 * breaks the line there instead of drawing a straight segment across the hole.
 */
function rawChartData(body: RawBody): ChartData {
  const n = body.t.length;
  const t: number[] = [];
  const x: Array<number | null> = [];
  const y: Array<number | null> = [];
  const z: Array<number | null> = [];
  const mag: Array<number | null> = [];
  let gap = 0;
  for (let i = 0; i < n; i++) {
    const ti = body.t[i] as number;
    // Skip gaps that end before this sample; a gap that starts after the previous sample breaks the line.
    while (gap < body.gaps.length && (body.gaps[gap] as [number, number])[1] <= ti) {
      const start = (body.gaps[gap] as [number, number])[0];
      if (i > 0 && start > (body.t[i - 1] as number)) {
        t.push(start);
        x.push(null);
        y.push(null);
        z.push(null);
        mag.push(null);
      }
      gap++;
    }
    const xi = body.x[i] as number;
    const yi = body.y[i] as number;
    const zi = body.z[i] as number;
    t.push(ti);
    x.push(xi);
    y.push(yi);
    z.push(zi);
    mag.push(Math.sqrt(xi * xi + yi * yi + zi * zi));
  }
  return {
    mode: 'raw',
    fromMs: body.from,
    toMs: body.to,
    panes: { x: [t, x], y: [t, y], z: [t, z], mag: [t, mag] },
    points: { x: n, y: n, z: n, mag: n },
  };
}

function envelopeChartData(body: EnvelopeBody): ChartData {
  // Version 2 lists no times: bucket i starts at from + i * bucketMs.
  const t = body.count.map((_, i) => body.from + (i + 0.5) * body.bucketMs);
  let filled = 0;
  for (const count of body.count) if (count > 0) filled++;
  return {
    mode: 'envelope',
    fromMs: body.from,
    toMs: body.to,
    panes: {
      x: [t, body.xMin, body.xMax],
      y: [t, body.yMin, body.yMax],
      z: [t, body.zMin, body.zMax],
      mag: [t, body.magMin, body.magMax],
    },
    points: { x: filled, y: filled, z: filled, mag: filled },
  };
}
