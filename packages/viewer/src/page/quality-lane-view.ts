import type { TimeRange } from './time-range.js';

/** Colours of the lane: seconds with data, late steps, missing seconds. */
export const LANE_COLORS = { ok: '#7cc47f', late: '#8a5cc2', missing: '#d64545' } as const;

/** Height of the lane, CSS px. */
const LANE_HEIGHT = 14;

/**
 * Draws the quality lane on a canvas: the range in the "ok" colour, the late runs over it in the "late"
 * colour, each missing-second run on top in the "missing" colour (every run at least 1 px wide), aligned
 * with the panes' plotting area.
 */
export function drawQualityLane(
  canvas: HTMLCanvasElement,
  box: { left: number; width: number },
  range: TimeRange,
  missing: ReadonlyArray<readonly [number, number]>,
  late: ReadonlyArray<readonly [number, number]> = [],
): void {
  const ratio = devicePixelRatio;
  canvas.style.marginLeft = `${box.left}px`;
  canvas.style.width = `${box.width}px`;
  canvas.style.height = `${LANE_HEIGHT}px`;
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(LANE_HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const span = range.toMs - range.fromMs;
  const toPx = (ms: number): number => ((ms - range.fromMs) / span) * canvas.width;
  ctx.fillStyle = LANE_COLORS.ok;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const [color, runs] of [
    [LANE_COLORS.late, late],
    [LANE_COLORS.missing, missing],
  ] as const) {
    ctx.fillStyle = color;
    for (const [a, b] of runs) {
      if (b <= range.fromMs || a >= range.toMs) continue;
      const left = toPx(Math.max(a, range.fromMs));
      const right = toPx(Math.min(b, range.toMs));
      ctx.fillRect(left, 0, Math.max(1, right - left), canvas.height);
    }
  }
}
