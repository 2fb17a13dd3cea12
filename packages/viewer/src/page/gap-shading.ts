import type uPlot from 'uplot';

/** A gap as the API gives it: `[startMs, endMs)`, epoch ms. */
export type Gap = readonly [number, number];

/** Fill of a gap band: amber at a quarter opacity, so the axes' grid still shows through. */
export const GAP_FILL = 'rgba(255, 170, 0, 0.28)';

/**
 * The horizontal pixel spans of the gaps within the view `[minMs, maxMs]`: each gap clipped to the view,
 * mapped with `toPx`, and at least 1 px wide so a short hole on a long range stays visible.
 *
 * @param toPx - maps epoch ms to a pixel position (increasing).
 * @returns `[left, width]` pairs, in `toPx`'s pixels, in gap order.
 */
export function gapSpans(
  gaps: readonly Gap[],
  minMs: number,
  maxMs: number,
  toPx: (ms: number) => number,
): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const [start, end] of gaps) {
    const a = Math.max(start, minMs);
    const b = Math.min(end, maxMs);
    if (b <= a) continue;
    const left = toPx(a);
    spans.push([left, Math.max(1, toPx(b) - left)]);
  }
  return spans;
}

/**
 * A uPlot plugin shading the gaps `getGaps()` returns over the plot area after the series are drawn,
 * so a hole reads as "no data", never as a flat line.
 */
export function gapShadingPlugin(getGaps: () => readonly Gap[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { min, max } = u.scales.x ?? {};
        if (min === undefined || max === undefined) return;
        const { left, top, width, height } = u.bbox;
        const spans = gapSpans(getGaps(), min, max, (ms) => u.valToPos(ms, 'x', true));
        if (spans.length === 0) return;
        const ctx = u.ctx;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        ctx.fillStyle = GAP_FILL;
        for (const [x, w] of spans) ctx.fillRect(x, top, w, height);
        ctx.restore();
      },
    },
  };
}
