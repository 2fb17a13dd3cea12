import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError, JwtExpiredError, JwtNotBeforeError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { InvalidOptionError } from './errors.js';
import type { QueryContext, QueryHandler, QueryResult } from './handler.js';
import type { ErrorBody } from './response-body.js';

/**
 * Stable codes of the answers {@link withCognitoAuth} gives instead of calling the handler, in the `code`
 * field of the usual {@link ErrorBody}:
 * - `MISSING_TOKEN` (401): no `Bearer` token in {@link FORWARDED_AUTHORIZATION_HEADER} or `authorization`.
 * - `TOKEN_EXPIRED` (401): the token's `exp` has passed (or its `nbf` is still to come): sign in again.
 * - `INVALID_TOKEN` (401): anything else wrong with it: not a JWT, bad signature, another user pool
 *   (issuer), another app client (audience / `client_id`), the other token use, an unknown key id.
 * - `AUTH_UNAVAILABLE` (503): the user pool's signing keys (JWKS) could not be downloaded; try again.
 */
export type AuthErrorCode = 'MISSING_TOKEN' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN' | 'AUTH_UNAVAILABLE';

/**
 * The request header the token is read from first, as `Bearer <jwt>`. Behind CloudFront with origin access
 * control, CloudFront signs each request to the Function URL with SigV4 in `authorization`, overwriting
 * what the browser sent there; a CloudFront Function copies the browser's `authorization` to this header
 * before that happens. Called directly (tests, the local server), the handler reads `authorization` too.
 */
export const FORWARDED_AUTHORIZATION_HEADER = 'x-secondrow-authorization';

/** Environment variables {@link cognitoAuthOptionsFromEnv} reads; the infrastructure sets them. */
export const COGNITO_AUTH_ENV = {
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientId: 'COGNITO_CLIENT_ID',
  tokenUse: 'COGNITO_TOKEN_USE',
} as const;

/** Which Cognito token the API accepts: the access token (default) or the ID token. */
export type CognitoTokenUse = 'id' | 'access';

/** Who made a request whose token {@link withCognitoAuth} verified. */
export interface AuthenticatedCaller {
  /** The user's `sub` claim: the user pool's stable id of the user. */
  subject: string;
  /** The kind of token that was verified. */
  tokenUse: CognitoTokenUse;
  /** Every claim of the verified token (`email`, `cognito:groups`, `scope`, …). */
  claims: Readonly<Record<string, unknown>>;
}

/** What {@link withCognitoAuth} wraps: a query handler that also receives the verified caller. */
export type AuthenticatedHandler = (
  event: LambdaFunctionURLEvent,
  context: QueryContext | undefined,
  caller: AuthenticatedCaller,
) => Promise<QueryResult>;

/** Verifies a JWT, resolving to its claims or rejecting with an `aws-jwt-verify` error. */
export interface TokenVerifier {
  verify(token: string): Promise<Record<string, unknown>>;
}

/** Options of {@link withCognitoAuth}. */
export interface CognitoAuthOptions {
  /** The user pool, `<region>_<id>` (e.g. `eu-west-1_AbC123xyz`); fixes the expected issuer. */
  userPoolId: string;
  /** The app client the token must be issued to (`aud` of an ID token, `client_id` of an access token). */
  clientId: string;
  /** Which token the caller sends. Default `access`. */
  tokenUse?: CognitoTokenUse;
  /**
   * Signing keys to trust without downloading them from the user pool (tests; otherwise the keys are
   * fetched from the pool's `/.well-known/jwks.json` on first use and cached by the instance).
   */
  jwks?: Jwks;
  /** Replaces the verifier built from the options above (the options are still checked). */
  verifier?: TokenVerifier;
  /** Called with failures to reach the user pool's keys and with defects (5xx). Default: one JSON line on stderr. */
  onError?: (error: unknown, requestId: string) => void;
}

const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i;

const logError = (error: unknown, requestId: string): void => {
  console.error(
    JSON.stringify({
      level: 'ERROR',
      requestId,
      code: error instanceof FetchError ? 'AUTH_UNAVAILABLE' : 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
};

/**
 * Puts Cognito sign-in in front of a query handler: each request must carry a valid token of the user pool
 * and app client, as `Bearer <jwt>` in {@link FORWARDED_AUTHORIZATION_HEADER} or else in `authorization`
 * (a non-Bearer `authorization`, such as CloudFront's SigV4 signature, is ignored). The token's signature
 * (the pool's RS256 keys), issuer, audience or `client_id`, `token_use` and expiry are checked by
 * `aws-jwt-verify`. A request without a valid token is answered 401 (`MISSING_TOKEN`, `TOKEN_EXPIRED`,
 * `INVALID_TOKEN`, with `www-authenticate: Bearer`), or 503 `AUTH_UNAVAILABLE` when the keys cannot be
 * fetched, in the handler's JSON error shape with `cache-control: no-store`, and the wrapped handler is
 * not called. Otherwise it is called with the {@link AuthenticatedCaller}. Cookies are not read: a token
 * the page sends in a header cannot be replayed by another site's form (no CSRF).
 *
 * @throws {InvalidOptionError} at creation when `userPoolId`, `clientId` or `tokenUse` is malformed.
 * @example
 * export const handler = withCognitoAuth(createQueryHandler({ source }), cognitoAuthOptionsFromEnv(process.env));
 */
export function withCognitoAuth(
  handler: AuthenticatedHandler | QueryHandler,
  options: CognitoAuthOptions,
): QueryHandler {
  if (typeof handler !== 'function') throw new InvalidOptionError('handler', 'handler must be a function');
  const { userPoolId, clientId } = options;
  if (typeof userPoolId !== 'string' || !USER_POOL_ID.test(userPoolId)) {
    throw new InvalidOptionError(
      'userPoolId',
      `userPoolId must be a Cognito user pool id such as eu-west-1_AbC123xyz, got ${JSON.stringify(userPoolId)}`,
    );
  }
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new InvalidOptionError(
      'clientId',
      `clientId must be a Cognito app client id (1 to 128 of A-Z a-z 0-9 _ +), got ${JSON.stringify(clientId)}`,
    );
  }
  const tokenUse = options.tokenUse ?? 'access';
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new InvalidOptionError(
      'tokenUse',
      `tokenUse must be id or access, got ${JSON.stringify(tokenUse)}`,
    );
  }
  const onError = options.onError ?? logError;
  const verifier = options.verifier ?? cognitoVerifier(userPoolId, clientId, tokenUse, options.jwks);

  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const token = bearerToken(event);
    if (token === undefined) {
      return refusal(401, 'MISSING_TOKEN', 'Sign in: the request carries no Bearer token.', requestId);
    }
    let claims: Record<string, unknown>;
    try {
      claims = await verifier.verify(token);
    } catch (error) {
      if (error instanceof FetchError) {
        onError(error, requestId);
        return refusal(
          503,
          'AUTH_UNAVAILABLE',
          "The user pool's signing keys could not be fetched; try again shortly.",
          requestId,
        );
      }
      if (error instanceof JwtExpiredError || error instanceof JwtNotBeforeError) {
        return refusal(401, 'TOKEN_EXPIRED', 'The token has expired: sign in again.', requestId);
      }
      if (error instanceof JwtBaseError) {
        return refusal(401, 'INVALID_TOKEN', 'The token is not valid for this application.', requestId);
      }
      onError(error, requestId);
      return refusal(
        500,
        'INTERNAL',
        'The request failed on the server; quote the request id when reporting it.',
        requestId,
      );
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') {
      return refusal(401, 'INVALID_TOKEN', 'The token names no subject.', requestId);
    }
    return handler(event, context, { subject, tokenUse, claims });
  };
}

/**
 * The {@link CognitoAuthOptions} the deployed query function runs with, from the variables
 * {@link COGNITO_AUTH_ENV} names: `COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_ID` and, optionally,
 * `COGNITO_TOKEN_USE` (`access` by default).
 *
 * @throws {InvalidOptionError} naming the variable when one is missing or malformed, so a function
 *   deployed without them fails on its cold start instead of serving anyone.
 */
export function cognitoAuthOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): CognitoAuthOptions {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new InvalidOptionError(name, `${name} must be set: the query API never serves data anonymously`);
    }
    return value;
  };
  const tokenUse = env[COGNITO_AUTH_ENV.tokenUse];
  if (tokenUse !== undefined && tokenUse !== '' && tokenUse !== 'id' && tokenUse !== 'access') {
    throw new InvalidOptionError(
      COGNITO_AUTH_ENV.tokenUse,
      `${COGNITO_AUTH_ENV.tokenUse} must be id or access, got ${JSON.stringify(tokenUse)}`,
    );
  }
  return {
    userPoolId: required(COGNITO_AUTH_ENV.userPoolId),
    clientId: required(COGNITO_AUTH_ENV.clientId),
    ...(tokenUse === 'id' || tokenUse === 'access' ? { tokenUse } : {}),
  };
}

function cognitoVerifier(
  userPoolId: string,
  clientId: string,
  tokenUse: CognitoTokenUse,
  jwks: Jwks | undefined,
): TokenVerifier {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse });
  if (jwks !== undefined) verifier.cacheJwks(jwks);
  return {
    verify: async (token) => (await verifier.verify(token)) as unknown as Record<string, unknown>,
  };
}

function bearerToken(event: LambdaFunctionURLEvent): string | undefined {
  const headers = event.headers ?? {};
  for (const name of [FORWARDED_AUTHORIZATION_HEADER, 'authorization']) {
    const match = BEARER.exec(headers[name] ?? '');
    if (match !== null) return match[1];
  }
  return undefined;
}

function refusal(
  statusCode: 401 | 500 | 503,
  code: AuthErrorCode | 'INTERNAL',
  message: string,
  requestId: string,
): QueryResult {
  const body: ErrorBody = { code, message, requestId };
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-request-id': requestId,
  };
  if (statusCode === 401) {
    headers['www-authenticate'] =
      code === 'MISSING_TOKEN' ? 'Bearer' : `Bearer error="invalid_token", error_description="${message}"`;
  }
  return { statusCode, headers, body: JSON.stringify(body), isBase64Encoded: false };
}
