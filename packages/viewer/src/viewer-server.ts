import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { createQueryHandler, type QueryHandler, type SampleSource, toEvent } from '@secondrow/query';

/** Options of {@link startViewerServer}. */
export interface ViewerServerOptions {
  /** Where samples and devices come from. */
  source: SampleSource;
  /** The built page (`vite build` output). */
  pageDir: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Called with every 5xx of the API. Default: the query handler's JSON line on stderr. */
  onError?: (error: unknown, requestId: string) => void;
}

/** A running viewer server. */
export interface ViewerServer {
  /** Base URL, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * Serves the page and the query API on one origin: `/api/…` goes to `createQueryHandler({ source })`
 * (the same handler a Function URL runs), everything else is a file of `pageDir` (`/` is index.html). API
 * answers carry a `Server-Timing: api;dur=<ms>, cpu;dur=<ms>` header: the handler's time and the process's
 * CPU time meanwhile, ms.
 * For development and tests: no TLS, no auth.
 */
export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
  const handler = createQueryHandler({
    source: options.source,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const root = normalize(options.pageDir);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work =
      path.startsWith('/api/') || path === '/api' ? serveApi(handler, req, res) : serveFile(root, path, res);
    work.catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serveApi(handler: QueryHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await handler(await toEvent(req));
  // The handler's time and the process's CPU time meanwhile (every thread, so also any concurrent request's),
  // for the browser's Resource Timing: the benchmark splits server time from transfer, and work from waiting.
  const cpu = process.cpuUsage(cpuBefore);
  const serverTiming = `api;dur=${(performance.now() - started).toFixed(1)}, cpu;dur=${((cpu.user + cpu.system) / 1000).toFixed(1)}`;
  res.writeHead(result.statusCode, { ...result.headers, 'server-timing': serverTiming });
  res.end(result.isBase64Encoded === true ? Buffer.from(result.body, 'base64') : result.body);
}

async function serveFile(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    relative = '';
  }
  const file = normalize(join(root, relative));
  if (relative === '' || (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep))) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('bad path');
    return;
  }
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  res.end(content);
}
