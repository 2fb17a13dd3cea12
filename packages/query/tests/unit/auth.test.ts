import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type AuthenticatedCaller,
  type AuthenticatedHandler,
  COGNITO_AUTH_ENV,
  cognitoAuthOptionsFromEnv,
  FORWARDED_AUTHORIZATION_HEADER,
  withCognitoAuth,
} from '../../src/auth.js';
import { InvalidOptionError } from '../../src/errors.js';
import type { QueryResult } from '../../src/handler.js';
import { urlEvent } from '../helpers/events.js';

const USER_POOL_ID = 'eu-west-1_TestPool1';
const CLIENT_ID = 'testclient0123456789abcdef';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}`;
const KID = 'test-key-1';

// A locally generated RSA key stands in for the user pool's: its public half is the JWKS the verifier trusts.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

function sign(claims: Record<string, unknown>, key: KeyObject = privateKey, kid = KID): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${base64url(signature)}`;
}

const nowS = (): number => Math.floor(Date.now() / 1000);

/** Claims of a Cognito access token for the test pool and client, valid for an hour. */
function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-sub-1',
    iss: ISSUER,
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'openid email',
    auth_time: nowS() - 60,
    iat: nowS() - 60,
    exp: nowS() + 3600,
    jti: 'jti-1',
    username: 'alice',
    ...overrides,
  };
}

function idClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-sub-1',
    iss: ISSUER,
    aud: CLIENT_ID,
    token_use: 'id',
    email: 'alice@example.com',
    auth_time: nowS() - 60,
    iat: nowS() - 60,
    exp: nowS() + 3600,
    ...overrides,
  };
}

function withHeaders(headers: Record<string, string>): LambdaFunctionURLEvent {
  const event = urlEvent('GET', '/api/devices');
  return { ...event, headers: { ...event.headers, ...headers } };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function setup(tokenUse: 'id' | 'access' = 'access') {
  const inner = vi.fn<AuthenticatedHandler>(
    async (): Promise<QueryResult> => ({ statusCode: 200, headers: {}, body: '{"version":1,"devices":[]}' }),
  );
  const onError = vi.fn();
  const handler = withCognitoAuth(inner, {
    userPoolId: USER_POOL_ID,
    clientId: CLIENT_ID,
    tokenUse,
    jwks: jwks as never,
    onError,
  });
  return { inner, handler, onError };
}

async function refused(
  event: LambdaFunctionURLEvent,
  code: string,
  tokenUse: 'id' | 'access' = 'access',
): Promise<void> {
  const { inner, handler } = setup(tokenUse);
  const result = await handler(event);
  expect(result.statusCode).toBe(401);
  expect(JSON.parse(result.body)).toEqual({
    code,
    message: expect.any(String),
    requestId: event.requestContext.requestId,
  });
  expect(result.headers['cache-control']).toBe('no-store');
  expect(result.headers['www-authenticate']).toMatch(/^Bearer/);
  expect(inner).not.toHaveBeenCalled();
}

describe('withCognitoAuth', () => {
  it('calls the handler with the verified subject for a valid access token', async () => {
    const { inner, handler } = setup();
    const event = withHeaders(bearer(sign(accessClaims())));
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    expect(inner).toHaveBeenCalledTimes(1);
    const caller = inner.mock.calls[0]?.[2] as AuthenticatedCaller;
    expect(caller.subject).toBe('user-sub-1');
    expect(caller.tokenUse).toBe('access');
    expect(caller.claims.username).toBe('alice');
    expect(inner.mock.calls[0]?.[0]).toBe(event);
  });

  it('accepts an ID token when configured for ID tokens, and refuses it otherwise', async () => {
    const { inner, handler } = setup('id');
    expect((await handler(withHeaders(bearer(sign(idClaims()))))).statusCode).toBe(200);
    expect((inner.mock.calls[0]?.[2] as AuthenticatedCaller | undefined)?.claims.email).toBe(
      'alice@example.com',
    );
    await refused(withHeaders(bearer(sign(idClaims()))), 'INVALID_TOKEN', 'access');
    await refused(withHeaders(bearer(sign(accessClaims()))), 'INVALID_TOKEN', 'id');
  });

  it('reads the header CloudFront forwards first, and ignores a SigV4 authorization', async () => {
    const { inner, handler } = setup();
    const event = withHeaders({
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261204/eu-west-1/lambda/aws4_request, Signature=ab',
      [FORWARDED_AUTHORIZATION_HEADER]: `Bearer ${sign(accessClaims())}`,
    });
    expect((await handler(event)).statusCode).toBe(200);
    expect(inner).toHaveBeenCalledTimes(1);
    await refused(
      withHeaders({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=ab' }),
      'MISSING_TOKEN',
    );
  });

  it('refuses a request without a token', async () => {
    await refused(urlEvent('GET', '/api/devices'), 'MISSING_TOKEN');
    await refused(withHeaders({ authorization: 'Bearer' }), 'MISSING_TOKEN');
    await refused(withHeaders({ authorization: `Basic ${base64url('a:b')}` }), 'MISSING_TOKEN');
  });

  it('refuses an expired token', async () => {
    await refused(
      withHeaders(bearer(sign(accessClaims({ iat: nowS() - 7200, exp: nowS() - 3600 })))),
      'TOKEN_EXPIRED',
    );
  });

  it('refuses a token of another app client', async () => {
    await refused(withHeaders(bearer(sign(accessClaims({ client_id: 'someotherclient' })))), 'INVALID_TOKEN');
    await refused(withHeaders(bearer(sign(idClaims({ aud: 'someotherclient' })))), 'INVALID_TOKEN', 'id');
  });

  it('refuses a token of another user pool', async () => {
    const iss = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OtherPool';
    await refused(withHeaders(bearer(sign(accessClaims({ iss })))), 'INVALID_TOKEN');
  });

  it('refuses a token whose signature does not match its content', async () => {
    const [head, , signature] = sign(accessClaims()).split('.');
    const forged = base64url(JSON.stringify(accessClaims({ sub: 'someone-else' })));
    await refused(withHeaders(bearer(`${head}.${forged}.${signature}`)), 'INVALID_TOKEN');
    // Signed by another key under the trusted key id.
    await refused(withHeaders(bearer(sign(accessClaims(), other.privateKey))), 'INVALID_TOKEN');
  });

  it('refuses anything that is not a well-formed token, whatever it is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,200}$/), async (garbage) => {
        const { inner, handler } = setup();
        const result = await handler(withHeaders(bearer(garbage)));
        expect(result.statusCode).toBe(401);
        expect(inner).not.toHaveBeenCalled();
      }),
      { numRuns: 50 },
    );
  });

  it('answers 503 AUTH_UNAVAILABLE when the keys cannot be fetched, without calling the handler', async () => {
    const { FetchError } = await import('aws-jwt-verify/error');
    const inner = vi.fn<AuthenticatedHandler>();
    const onError = vi.fn();
    const handler = withCognitoAuth(inner, {
      userPoolId: USER_POOL_ID,
      clientId: CLIENT_ID,
      verifier: {
        verify: async () => {
          throw new FetchError('https://example.test/jwks.json', 'connection refused');
        },
      },
      onError,
    });
    const result = await handler(withHeaders(bearer(sign(accessClaims()))));
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).code).toBe('AUTH_UNAVAILABLE');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(inner).not.toHaveBeenCalled();
  });

  it('rejects malformed options at creation, naming the option', () => {
    const inner = vi.fn<AuthenticatedHandler>();
    const create = (options: Record<string, unknown>) => () =>
      withCognitoAuth(inner, { userPoolId: USER_POOL_ID, clientId: CLIENT_ID, ...options } as never);
    expect(create({ userPoolId: 'TestPool1' })).toThrow(InvalidOptionError);
    expect(create({ userPoolId: undefined })).toThrow(/userPoolId/);
    expect(create({ clientId: '' })).toThrow(/clientId/);
    expect(create({ clientId: 'has space' })).toThrow(/clientId/);
    expect(create({ tokenUse: 'refresh' })).toThrow(/tokenUse/);
    expect(create({})).not.toThrow();
  });
});

describe('cognitoAuthOptionsFromEnv', () => {
  it('reads the pool, client and token use the infrastructure sets', () => {
    expect(
      cognitoAuthOptionsFromEnv({
        [COGNITO_AUTH_ENV.userPoolId]: USER_POOL_ID,
        [COGNITO_AUTH_ENV.clientId]: CLIENT_ID,
      }),
    ).toEqual({ userPoolId: USER_POOL_ID, clientId: CLIENT_ID });
    expect(
      cognitoAuthOptionsFromEnv({
        COGNITO_USER_POOL_ID: USER_POOL_ID,
        COGNITO_CLIENT_ID: CLIENT_ID,
        COGNITO_TOKEN_USE: 'id',
      }),
    ).toEqual({ userPoolId: USER_POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' });
  });

  it('refuses to start without them, naming the variable', () => {
    expect(() => cognitoAuthOptionsFromEnv({ COGNITO_CLIENT_ID: CLIENT_ID })).toThrow(/COGNITO_USER_POOL_ID/);
    expect(() => cognitoAuthOptionsFromEnv({ COGNITO_USER_POOL_ID: USER_POOL_ID })).toThrow(
      /COGNITO_CLIENT_ID/,
    );
    expect(() =>
      cognitoAuthOptionsFromEnv({
        COGNITO_USER_POOL_ID: USER_POOL_ID,
        COGNITO_CLIENT_ID: CLIENT_ID,
        COGNITO_TOKEN_USE: 'refresh',
      }),
    ).toThrow(/COGNITO_TOKEN_USE/);
  });
});
