import type { LambdaFunctionURLEvent } from 'aws-lambda';

let counter = 0;

/** A Function URL event (payload 2.0) for `method path?query`, as AWS sends it. */
export function urlEvent(method: string, path: string, query = ''): LambdaFunctionURLEvent {
  const requestId = `req-${++counter}`;
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = k in params ? `${params[k]},${v}` : v;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc.lambda-url.eu-west-1.on.aws' },
    ...(query === '' ? {} : { queryStringParameters: params }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: '04/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_378_400_000,
    },
    isBase64Encoded: false,
  };
}
