import { randomUUID } from 'node:crypto';
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { crc32 } from 'node:zlib';

/** A complete HTTP answer held in memory; AWS JSON bodies are small enough for that. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers that describe one hop of a connection and must not be relayed to the next. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'upgrade',
]);

/** Reads a stream to its end. */
export async function readBody(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Copies end-to-end headers of a request, joining repeated ones as HTTP allows. */
export function relayableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Sends one request to `upstream` and reads the whole answer.
 *
 * @param upstream - Base URL such as `http://127.0.0.1:4567`.
 * @param path - Request path with query.
 * @param headers - End-to-end headers to send; `content-length` is set from `body`.
 * @throws Error when the upstream cannot be reached or drops the connection.
 */
export async function exchange(
  upstream: URL,
  agent: Agent,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: 'POST',
        path,
        agent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (incoming) => {
        readBody(incoming).then(
          (answerBody) =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: relayableHeaders(incoming.headers),
              body: answerBody,
            }),
          reject,
        );
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** Where an AWS JSON error answer differs between services. */
export interface JsonErrorStyle {
  /** `application/x-amz-json-1.0` (DynamoDB) or `application/x-amz-json-1.1` (Kinesis). */
  contentType: string;
  /** Prefix of `__type`, e.g. `com.amazonaws.dynamodb.v20120810#`; empty for Kinesis. */
  typePrefix: string;
  /** Whether the service sends `x-amz-crc32` of the body (DynamoDB does). */
  crc32: boolean;
}

/**
 * Builds an AWS JSON-protocol error answer: `{"__type": ..., "message": ...}` plus `extra` members,
 * with the request id header AWS sends and, for DynamoDB, the CRC32 of the body.
 */
export function jsonError(
  style: JsonErrorStyle,
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpAnswer {
  return jsonAnswer(style, status, { __type: `${style.typePrefix}${type}`, message, ...extra });
}

/** Builds a JSON answer with fresh `x-amzn-RequestId` and, when the style asks for it, `x-amz-crc32`. */
export function jsonAnswer(style: JsonErrorStyle, status: number, payload: unknown): HttpAnswer {
  const body = Buffer.from(JSON.stringify(payload));
  const headers: Record<string, string> = {
    'content-type': style.contentType,
    'x-amzn-requestid': randomUUID(),
  };
  return withBody({ status, headers, body }, body, style.crc32);
}

/**
 * Returns `answer` with `body` in place of its own. A changed body must carry a matching
 * `x-amz-crc32` (clients that check it, such as SDK v2 for DynamoDB, would reject a stale one), so it
 * is recomputed when `crc` is true and dropped otherwise.
 */
export function withBody(answer: HttpAnswer, body: Buffer, crc: boolean): HttpAnswer {
  const headers = { ...answer.headers };
  delete headers['x-amz-crc32'];
  if (crc) headers['x-amz-crc32'] = String(crc32(body));
  return { status: answer.status, headers, body };
}

/** Parses a JSON body that should hold an object; `undefined` for anything else or invalid JSON. */
export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
