import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { InvalidOptionError } from './errors.js';

/** Options of {@link createLocalServer}. */
export interface LocalServerOptions {
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
}

/** A running local server. */
export interface LocalServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The underlying server. */
  server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Most request body bytes read (the API takes no body; this bounds what a client can make us hold). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves a Function URL handler (payload 2.0) over node:http, translating each request into the event
 * a Function URL would send, so the local API runs the deployed code unchanged. A handler that throws
 * gives 502, as a Function URL does. For development and tests only: no TLS, no auth.
 *
 * @throws {InvalidOptionError} for a bad `handler`, `host` or `port` (at call time).
 */
export async function createLocalServer(
  handler: (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>,
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  if (typeof handler !== 'function') throw new InvalidOptionError('handler', 'handler must be a function');
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (typeof host !== 'string' || host.length === 0)
    throw new InvalidOptionError('host', 'host must be a non-empty string');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError('port', `port must be an integer in [0, 65535], got ${port}`);
  }
  const server = createServer((req, res) => {
    serve(handler, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  handler: (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const event = await toEvent(req);
  const result = await handler(event);
  if (typeof result === 'string') {
    // A Function URL treats a bare string as a 200 JSON body.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result);
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies !== undefined && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded === true ? Buffer.from(body, 'base64') : body);
}

/** The payload 2.0 event a Function URL would send for this request. */
export async function toEvent(req: IncomingMessage): Promise<LambdaFunctionURLEvent> {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQueryString = q === -1 ? '' : target.slice(q + 1);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const now = new Date();
  const domainName = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks).toString('base64') } : {}),
    isBase64Encoded: chunks.length > 0,
  };
}
