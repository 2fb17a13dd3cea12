import uPlot from 'uplot';
import { type Gap, gapShadingPlugin } from './gap-shading.js';
import { type ChartData, PANE_KEYS, type PaneKey } from './series-data.js';
import type { TimeRange } from './time-range.js';

/** Title of each pane. */
const PANE_TITLES: Record<PaneKey, string> = {
  x: 'x (g)',
  y: 'y (g)',
  z: 'z (g)',
  mag: 'magnitude √(x²+y²+z²) (g)',
};

/** Line colour of each pane. */
const PANE_COLORS: Record<PaneKey, string> = { x: '#d1495b', y: '#2e86ab', z: '#3d9970', mag: '#5c4d7d' };

/** Height of one pane's canvas, CSS px. */
const PANE_HEIGHT = 150;

/** Cursor sync key shared by the four panes. */
const SYNC_KEY = 'secondrow-viewer';

/** Callbacks of {@link Panes}. */
export interface PanesOptions {
  /** Element the panes are appended to. */
  container: HTMLElement;
  /** The range currently shown (the shared x scale), epoch ms. */
  range: () => TimeRange;
  /** The gaps of the data shown, `[startMs, endMs)`. */
  gaps: () => readonly Gap[];
  /** A drag-selection over a pane, as epoch ms (either order). */
  onSelect: (aMs: number, bMs: number) => void;
  /** The cursor moved to data index `index` (or left the plot: `null`). */
  onCursor: (index: number | null) => void;
  /** Every pane drew once after {@link Panes.render}. */
  onDrawn: () => void;
}

/**
 * Four uPlot charts, x, y, z and magnitude, with one x scale (the range shown), a synced cursor, drag
 * selection reported to the caller instead of zooming locally (the caller refetches at the new
 * resolution), and gaps shaded. Raw data is drawn as lines; an envelope as a min/max band.
 */
export class Panes {
  private readonly plots = new Map<PaneKey, uPlot>();
  private readonly hosts = new Map<PaneKey, HTMLElement>();
  private mode: ChartData['mode'] | undefined;
  private pendingDraws = 0;

  constructor(private readonly options: PanesOptions) {
    for (const key of PANE_KEYS) {
      const section = document.createElement('section');
      section.className = 'pane';
      section.dataset.pane = key;
      const title = document.createElement('h2');
      title.textContent = PANE_TITLES[key];
      section.append(title);
      const host = document.createElement('div');
      host.className = 'pane-plot';
      section.append(host);
      options.container.append(section);
      this.hosts.set(key, host);
    }
  }

  /** Width of the plotting area, CSS px: the `maxPoints` to ask for. */
  plotWidth(): number {
    const first = this.plots.values().next().value;
    if (first !== undefined) return Math.max(1, Math.round(first.bbox.width / devicePixelRatio));
    // Before the first chart: the container less the y axis (about 60 px).
    return Math.max(1, Math.round(this.options.container.clientWidth - 60));
  }

  /** Left edge and width of the plotting area relative to a pane, CSS px (to align the quality lane). */
  plotBox(): { left: number; width: number } | undefined {
    const first = this.plots.values().next().value;
    if (first === undefined) return undefined;
    return { left: first.bbox.left / devicePixelRatio, width: first.bbox.width / devicePixelRatio };
  }

  /** Draws `data` in the four panes (rebuilding the charts when the mode changed). */
  render(data: ChartData): void {
    if (this.mode !== data.mode) {
      for (const plot of this.plots.values()) plot.destroy();
      this.plots.clear();
      this.mode = data.mode;
    }
    this.pendingDraws = PANE_KEYS.length;
    for (const key of PANE_KEYS) {
      const paneData = data.panes[key] as uPlot.AlignedData;
      const plot = this.plots.get(key);
      if (plot === undefined) {
        this.plots.set(key, this.create(key, data.mode, paneData));
      } else {
        plot.setData(paneData, false);
        const { fromMs, toMs } = this.options.range();
        plot.setScale('x', { min: fromMs, max: toMs });
        plot.setScale('y', { min: Number.NaN, max: Number.NaN });
      }
    }
  }

  /** Resizes every pane to the container's width. */
  resize(): void {
    const width = this.options.container.clientWidth;
    for (const plot of this.plots.values()) plot.setSize({ width, height: PANE_HEIGHT });
  }

  /** Removes the charts. */
  destroy(): void {
    for (const plot of this.plots.values()) plot.destroy();
    this.plots.clear();
  }

  /** The uPlot of a pane (for the readout and tests). */
  plot(key: PaneKey): uPlot | undefined {
    return this.plots.get(key);
  }

  private create(key: PaneKey, mode: ChartData['mode'], data: uPlot.AlignedData): uPlot {
    const color = PANE_COLORS[key];
    const series: uPlot.Series[] =
      mode === 'raw'
        ? [{}, { label: key, stroke: color, width: 1, points: { show: false } }]
        : [
            {},
            { label: `${key} min`, stroke: color, width: 1, points: { show: false } },
            { label: `${key} max`, stroke: color, width: 1, points: { show: false } },
          ];
    const options: uPlot.Options = {
      width: this.options.container.clientWidth,
      height: PANE_HEIGHT,
      ms: 1,
      legend: { show: false },
      scales: {
        x: { time: true, auto: false, range: () => [this.options.range().fromMs, this.options.range().toMs] },
        y: {
          auto: true,
          // Never collapse to a line: a flat signal gets ±0.05 g around it.
          range: (_u, min, max) => (max - min < 0.1 ? [min - 0.05, max + 0.05] : [min, max]),
        },
      },
      axes: [{}, { size: 60, values: (_u, ticks) => ticks.map((v) => v.toFixed(2)) }],
      series,
      ...(mode === 'envelope' ? { bands: [{ series: [2, 1], fill: `${color}55` }] } : {}),
      cursor: {
        sync: { key: SYNC_KEY },
        drag: { x: true, y: false, setScale: false },
      },
      plugins: [gapShadingPlugin(this.options.gaps)],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width <= 0) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.options.onSelect(a, b);
          },
        ],
        setCursor: [
          (u) => {
            const index = u.cursor.idx;
            this.options.onCursor(index === undefined || index === null ? null : index);
          },
        ],
        draw: [
          () => {
            if (this.pendingDraws > 0 && --this.pendingDraws === 0) this.options.onDrawn();
          },
        ],
      },
    };
    return new uPlot(options, data, this.hosts.get(key) as HTMLElement);
  }
}
