import type { DeviceInfo, SamplesBody } from '@secondrow/query';
import { ApiError } from '../errors.js';
import type { ApiClient } from './api-client.js';
import type { Gap } from './gap-shading.js';
import { Panes } from './panes.js';
import {
  countSeconds,
  LATE_AFTER_MS,
  lateDuplicateNote,
  lateRuns,
  missingSeconds,
  qualityStepSeconds,
} from './quality-lane.js';
import { drawQualityLane } from './quality-lane-view.js';
import { formatDuration, formatLocal, formatPaneValue, formatUtc } from './readout.js';
import { type ChartData, chartData, PANE_KEYS, type PaneKey } from './series-data.js';
import { presetRange, RANGE_PRESETS, type TimeRange, zoomRange } from './time-range.js';
import { formatViewState, parseViewState, type ViewState } from './url-state.js';

/** What the page shows, for tests and the benchmark (`window.__viewer`). */
export interface ViewerProbe {
  /** `loading`, `ready` (drawn), `empty` (drawn, no sample in range) or `error`. */
  status: 'loading' | 'ready' | 'empty' | 'error';
  /** Samples requests sent since the page loaded. */
  requests: number;
  /** Mode of the data drawn. */
  mode: 'raw' | 'envelope' | undefined;
  /** Range drawn, epoch ms. */
  range: TimeRange | undefined;
  /** `maxPoints` of the last request (the panes' plot width, CSS px). */
  maxPoints: number;
  /** Points with a value per pane (samples, or non-empty buckets). */
  points: Record<PaneKey, number>;
  /** Gaps of the data drawn. */
  gaps: Gap[];
  /** Missing-second runs the quality lane marks. */
  missingSeconds: Array<[number, number]>;
  /** Late runs the quality lane marks (from the quality steps the samples body carries), epoch ms. */
  late: Array<[number, number]>;
  /** Time from the parsed response to the four panes drawn, ms (also the `viewer:draw` performance measure). */
  drawMs: number | undefined;
  /** The error shown. */
  error: { code: string; message: string } | undefined;
  /** Position of a time in a pane's plotting area, CSS px from the pane canvas's left edge. */
  xToCss(ms: number): number | undefined;
  /** Draws a samples body as if it had just arrived; resolves with the draw time, ms (for the benchmark). */
  renderBody(body: SamplesBody): Promise<number>;
}

const EMPTY_POINTS: Record<PaneKey, number> = { x: 0, y: 0, z: 0, mag: 0 };

/** Elements of the page the app fills (see index.html). */
interface PageElements {
  device: HTMLSelectElement;
  presets: HTMLElement;
  rangeText: HTMLElement;
  message: HTMLElement;
  info: HTMLElement;
  panes: HTMLElement;
  lane: HTMLCanvasElement;
  laneLegend: HTMLElement;
  readout: HTMLElement;
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

/**
 * The viewer: a device picker, range presets, four synced panes, the quality lane and the readout, with
 * the view's state in the URL. Every samples fetch cancels the one before it.
 */
export class ViewerApp {
  /** The page's state for tests and the benchmark; `main.ts` puts it on `window.__viewer`. */
  readonly probe: ViewerProbe;
  private readonly el: PageElements;
  private readonly panes: Panes;
  private devices: DeviceInfo[] = [];
  private state: Required<ViewState> | undefined;
  private current: { body: SamplesBody; data: ChartData } | undefined;
  private inFlight: AbortController | undefined;
  private drawn: (() => void) | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly now: () => number = Date.now,
  ) {
    this.el = {
      device: element('device'),
      presets: element('presets'),
      rangeText: element('range-text'),
      message: element('message'),
      info: element('info'),
      panes: element('panes'),
      lane: element('lane'),
      laneLegend: element('lane-legend'),
      readout: element('readout'),
    };
    this.probe = {
      status: 'loading',
      requests: 0,
      mode: undefined,
      range: undefined,
      maxPoints: 0,
      points: { ...EMPTY_POINTS },
      gaps: [],
      missingSeconds: [],
      late: [],
      drawMs: undefined,
      error: undefined,
      xToCss: (ms) => this.panes.plot('x')?.valToPos(ms, 'x'),
      renderBody: (body) => this.renderTimed(body),
    };
    this.panes = new Panes({
      container: this.el.panes,
      range: () => this.currentRange(),
      gaps: () => this.current?.body.gaps ?? [],
      onSelect: (a, b) => this.zoom(a, b),
      onCursor: (index) => this.showReadout(index),
      onDrawn: () => this.drawn?.(),
    });
  }

  /** Loads the device list, then the view the URL names (or the first device's whole range). */
  async start(): Promise<void> {
    for (const preset of RANGE_PRESETS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = preset.label;
      button.dataset.preset = preset.id;
      button.addEventListener('click', () => {
        const device = this.deviceInfo();
        if (device === undefined || this.state === undefined) return;
        const range = presetRange(preset, device, this.now());
        this.navigate({ device: this.state.device, from: range.fromMs, to: range.toMs }, true);
      });
      this.el.presets.append(button);
    }
    this.el.device.addEventListener('change', () => this.navigate({ device: this.el.device.value }, true));
    window.addEventListener('popstate', () => this.navigate(parseViewState(location.search), false));
    window.addEventListener('resize', () => {
      this.panes.resize();
      requestAnimationFrame(() => this.drawLane());
    });
    try {
      this.devices = await this.client.devices();
    } catch (error) {
      this.showError(error);
      return;
    }
    this.el.device.replaceChildren(
      ...this.devices.map((d) => {
        const option = document.createElement('option');
        option.value = d.deviceId;
        option.textContent = d.deviceId;
        return option;
      }),
    );
    if (this.devices.length === 0) {
      this.showMessage('No devices in this table yet.', 'empty');
      return;
    }
    this.navigate(parseViewState(location.search), false, true);
  }

  /** Completes a partial state (device, range), puts it in the URL and loads it. */
  private navigate(partial: ViewState, push: boolean, replace = false): void {
    const deviceId = partial.device ?? this.devices[0]?.deviceId;
    if (deviceId === undefined) return;
    const device = this.devices.find((d) => d.deviceId === deviceId);
    let from = partial.from;
    let to = partial.to;
    if (from === undefined || to === undefined) {
      // An unknown device keeps a placeholder range: the API names the problem.
      const whole = device === undefined ? undefined : presetRange(RANGE_PRESETS.at(-1)!, device, this.now());
      from = whole?.fromMs ?? this.now() - 3_600_000;
      to = whole?.toMs ?? this.now();
    }
    this.state = { device: deviceId, from, to };
    const search = formatViewState(this.state);
    if (push) history.pushState(null, '', search);
    else if (replace) history.replaceState(null, '', search);
    if (device !== undefined) this.el.device.value = deviceId;
    void this.load();
  }

  private currentRange(): TimeRange {
    return this.state === undefined
      ? { fromMs: 0, toMs: 1 }
      : { fromMs: this.state.from, toMs: this.state.to };
  }

  private deviceInfo(): DeviceInfo | undefined {
    return this.devices.find((d) => d.deviceId === this.state?.device);
  }

  private zoom(aMs: number, bMs: number): void {
    const range = zoomRange(aMs, bMs);
    if (range === undefined || this.state === undefined) return;
    // The synced panes each report the one drag: the first one navigates, the others match it.
    if (range.fromMs === this.state.from && range.toMs === this.state.to) return;
    this.navigate({ device: this.state.device, from: range.fromMs, to: range.toMs }, true);
  }

  private async load(): Promise<void> {
    if (this.state === undefined) return;
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const range = this.currentRange();
    // Shown again before measuring: hidden after an error, the panes would measure 0 px wide.
    this.el.panes.hidden = false;
    const maxPoints = this.panes.plotWidth();
    this.probe.status = 'loading';
    this.probe.maxPoints = maxPoints;
    this.probe.requests++;
    document.body.dataset.status = 'loading';
    this.el.rangeText.textContent = `${formatUtc(range.fromMs)} → ${formatUtc(range.toMs)} (${formatDuration(
      range.toMs - range.fromMs,
    )})`;
    // The lane's late marks: the range's quality steps, answered with the samples from the same read.
    let body: SamplesBody;
    try {
      body = await this.client.samples(
        this.state.device,
        range,
        maxPoints,
        controller.signal,
        qualityStepSeconds(range, maxPoints),
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      this.showError(error);
      return;
    }
    if (controller.signal.aborted) return;
    await this.renderTimed(body);
  }

  private renderTimed(body: SamplesBody): Promise<number> {
    performance.mark('viewer:response');
    return new Promise<number>((resolve) => {
      this.drawn = () => {
        this.drawn = undefined;
        // The lane needs the panes' plotting area, known only once they drew.
        this.afterDraw();
        performance.mark('viewer:drawn');
        const ms = performance.measure('viewer:draw', 'viewer:response', 'viewer:drawn').duration;
        this.probe.drawMs = ms;
        resolve(ms);
      };
      this.render(body);
    });
  }

  private render(body: SamplesBody): void {
    const data = chartData(body);
    this.current = { body, data };
    if (this.state !== undefined && (body.from !== this.state.from || body.to !== this.state.to)) {
      this.state = { ...this.state, from: body.from, to: body.to };
    }
    this.el.panes.hidden = false;
    this.el.message.hidden = true;
    this.panes.render(data);
    const range = { fromMs: body.from, toMs: body.to };
    const missing = missingSeconds(body.gaps, range.fromMs, range.toMs);
    const steps = body.qualitySteps;
    const late = steps === undefined ? [] : lateRuns(steps.steps);
    const lateNote =
      steps === undefined
        ? ''
        : ` · late (slowest row > ${LATE_AFTER_MS / 1000} s): ${Math.round(countSeconds(late))} s marked in ${steps.step} s steps`;
    const q = body.quality;
    this.el.laneLegend.textContent = `ok: ${q.secondsWithData} s · missing: ${q.missingSeconds} s (${countSeconds(
      missing,
    )} whole s in holes marked)${lateNote} · ${lateDuplicateNote(q)}${body.gapsTruncated ? ' · gap list truncated' : ''}`;
    const readUnits = body.consumedReadUnits;
    this.el.info.textContent = `${body.mode === 'raw' ? 'raw samples' : `envelope, ${formatDuration(body.bucketMs)} buckets`} · ${q.samples.toLocaleString('en')} samples · ${body.gaps.length} gaps · ${readUnits} read units (the quality lane's steps from the same read)`;
    this.el.info.dataset.readUnits = String(readUnits);
    Object.assign(this.probe, {
      mode: data.mode,
      range,
      points: { ...data.points },
      gaps: body.gaps,
      missingSeconds: missing,
      late,
      error: undefined,
    } satisfies Partial<ViewerProbe>);
  }

  /** After the four panes drew: the lane, then the status tests and users wait for. */
  private afterDraw(): void {
    this.drawLane();
    if (this.current?.body.quality.samples === 0) {
      this.showMessage('No data in this range: every second is missing.', 'empty', false);
    } else {
      this.probe.status = 'ready';
      document.body.dataset.status = 'ready';
    }
  }

  private drawLane(): void {
    const box = this.panes.plotBox();
    const range = this.probe.range;
    if (box !== undefined && range !== undefined) {
      drawQualityLane(this.el.lane, box, range, this.probe.missingSeconds, this.probe.late);
    }
  }

  private showReadout(index: number | null): void {
    const data = this.current?.data;
    if (index === null || data === undefined) return;
    const t = data.panes.x[0][index];
    if (t === undefined) return;
    const lines = PANE_KEYS.map((key) => {
      const [, ...series] = data.panes[key];
      return `${key}: ${formatPaneValue(series.map((s) => s[index]))}`;
    });
    this.el.readout.textContent = `${formatUtc(t)} · ${formatLocal(t)} · ${lines.join(' · ')}`;
  }

  private showError(error: unknown): void {
    const code = error instanceof ApiError ? error.apiCode : 'PAGE';
    const message = error instanceof Error ? error.message : String(error);
    const requestId =
      error instanceof ApiError && error.requestId !== undefined ? ` (request ${error.requestId})` : '';
    this.probe.error = { code, message };
    this.el.panes.hidden = true;
    this.showMessage(`${code}: ${message}${requestId}`, 'error');
  }

  private showMessage(text: string, status: ViewerProbe['status'], hidePanes = true): void {
    this.el.message.textContent = text;
    this.el.message.hidden = false;
    this.el.message.dataset.kind = status;
    if (hidePanes) this.el.panes.hidden = true;
    this.probe.status = status;
    document.body.dataset.status = status;
  }
}
