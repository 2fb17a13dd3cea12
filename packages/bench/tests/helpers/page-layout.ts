/** The part of SVGGraphicsElement the report tests read (the tests are type-checked without the DOM lib). */
export interface Graphic {
  getBBox(): { width: number; height: number };
}

/** The browser globals the report tests read, typed here for the same reason. */
export interface BrowserGlobals {
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
  getComputedStyle(element: unknown): { overflowX: string };
}

/** How far the page runs past the right edge of the window, px (runs in the page, via `page.evaluate`). */
export function pageOverflowPx(): number {
  const g = globalThis as unknown as BrowserGlobals;
  return g.document.documentElement.scrollWidth - g.innerWidth;
}
