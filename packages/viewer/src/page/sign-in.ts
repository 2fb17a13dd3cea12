/**
 * The page's sign-in when deployed: reads `auth` from `config.json`, runs the OAuth 2.0 authorization code
 * flow with PKCE against Cognito's managed login, keeps the tokens in session storage, and wraps `fetch` so
 * API requests carry `Authorization: Bearer <token>` (refreshing once on `TOKEN_EXPIRED`). Every browser
 * dependency (fetch, storage, location, history) is injected, so the flow runs in unit tests.
 */
import { SignInError } from '../errors.js';
import type { Fetch } from './api-client.js';
import {
  authorizeUrl,
  codeChallenge,
  codeVerifier,
  logoutUrl,
  type OAuthClient,
  type RandomBytes,
  randomState,
  tokenUrl,
} from './pkce.js';

/** `config.json`'s `auth`: the user pool and its app client, as `packages/infra` writes it. */
export interface AuthConfig extends OAuthClient {
  region: string;
  userPoolId: string;
  /** Which token the API wants as the bearer; the query function checks access tokens. */
  tokenUse: 'access' | 'id';
}

/** The storage the tokens live in; the page passes `sessionStorage` (never `localStorage`). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What the flow reads and does to the page's location. */
export interface PageLocation {
  /** The page's current URL. */
  readonly href: string;
  /** Leaves the page for `url` (`location.assign`). */
  assign(url: string): void;
  /** Rewrites the address bar without a reload (`history.replaceState`); `url` is a path with its query. */
  replace(url: string): void;
}

/** The browser dependencies of {@link SignIn}. */
export interface SignInDeps {
  fetch: Fetch;
  storage: TokenStorage;
  location: PageLocation;
  /** Random bytes for the verifier and `state`; Web Crypto when omitted. */
  random?: RandomBytes;
}

/** What {@link SignIn.start} found: tokens to use, or the browser is on its way to the managed login. */
export type SignInStart = 'signed-in' | 'redirecting';

/** Session storage key of the tokens. */
export const TOKENS_KEY = 'secondrow.viewer.tokens';
/** Session storage key of the pending sign-in (state, verifier and the view's query string). */
export const PENDING_KEY = 'secondrow.viewer.sign-in';

interface Tokens {
  accessToken: string;
  idToken: string | undefined;
  refreshToken: string | undefined;
}

interface Pending {
  state: string;
  verifier: string;
  /** The page's query string when sign-in began (`?device=…&from=…&to=…`), restored after the exchange. */
  search: string;
}

/**
 * Fetches `/config.json` and returns its `auth`, or `undefined` when the page runs without sign-in: no
 * file (404, as under `pnpm viewer`), an answer that is not JSON, or no `auth` in it.
 *
 * @throws {SignInError} `CONFIG` when `auth` is there but misses a field the flow needs.
 */
export async function loadAuthConfig(fetchFn: Fetch, url = '/config.json'): Promise<AuthConfig | undefined> {
  let body: unknown;
  try {
    const response = await fetchFn(url, { headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    body = await response.json();
  } catch {
    return undefined;
  }
  return parseAuthConfig(body);
}

/**
 * The `auth` of a parsed `config.json`, or `undefined` without one.
 *
 * @throws {SignInError} `CONFIG` when `auth` is not an object with string `signInBaseUrl`, `clientId`,
 *   `redirectUri`, `region`, `userPoolId`, a string array `scopes` and `tokenUse` `access` or `id`.
 */
export function parseAuthConfig(body: unknown): AuthConfig | undefined {
  const auth = (body as { auth?: unknown } | null)?.auth;
  if (auth === undefined || auth === null) return undefined;
  const a = auth as Record<string, unknown>;
  const strings = ['region', 'userPoolId', 'clientId', 'signInBaseUrl', 'redirectUri'] as const;
  for (const key of strings) {
    if (typeof a[key] !== 'string' || a[key] === '')
      throw new SignInError('CONFIG', `config.json: auth.${key} must be a non-empty string`);
  }
  if (!Array.isArray(a.scopes) || !a.scopes.every((s) => typeof s === 'string'))
    throw new SignInError('CONFIG', 'config.json: auth.scopes must be an array of strings');
  const tokenUse = a.tokenUse ?? 'access';
  if (tokenUse !== 'access' && tokenUse !== 'id')
    throw new SignInError(
      'CONFIG',
      `config.json: auth.tokenUse must be "access" or "id", not ${String(tokenUse)}`,
    );
  return {
    region: a.region as string,
    userPoolId: a.userPoolId as string,
    clientId: a.clientId as string,
    signInBaseUrl: (a.signInBaseUrl as string).replace(/\/+$/, ''),
    redirectUri: a.redirectUri as string,
    scopes: a.scopes as string[],
    tokenUse,
  };
}

/** The sign-in of one page load. */
export class SignIn {
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly auth: AuthConfig,
    private readonly deps: SignInDeps,
  ) {}

  /**
   * Runs on page load: completes a sign-in the managed login sent back (`?code=…&state=…`), else uses the
   * tokens of this tab's session, else leaves for the managed login.
   *
   * @throws {SignInError} `DENIED` when the managed login answered `?error=…`; `STATE_MISMATCH` when the
   *   answer's `state` is not this tab's; `TOKEN_EXCHANGE` when the token endpoint refuses the code.
   */
  async start(): Promise<SignInStart> {
    const url = new URL(this.deps.location.href);
    const error = url.searchParams.get('error');
    if (error !== null) {
      this.deps.storage.removeItem(PENDING_KEY);
      const description = url.searchParams.get('error_description');
      throw new SignInError(
        'DENIED',
        `the sign-in page answered ${error}${description === null ? '' : `: ${description}`}; reload to try again`,
      );
    }
    const code = url.searchParams.get('code');
    if (code !== null) {
      await this.complete(code, url.searchParams.get('state'));
      return 'signed-in';
    }
    if (this.tokens() !== undefined) return 'signed-in';
    await this.begin();
    return 'redirecting';
  }

  /** Leaves for the managed login, stashing a fresh verifier, `state` and the view's query string. */
  async begin(): Promise<void> {
    const verifier = codeVerifier(this.deps.random);
    const state = randomState(this.deps.random);
    const pending: Pending = { state, verifier, search: new URL(this.deps.location.href).search };
    this.deps.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    this.deps.location.assign(authorizeUrl(this.auth, await codeChallenge(verifier), state));
  }

  /** Whether this tab holds tokens. */
  get signedIn(): boolean {
    return this.tokens() !== undefined;
  }

  /** Forgets this tab's tokens and leaves for the managed login's logout, which sends the browser back. */
  signOut(): void {
    this.deps.storage.removeItem(TOKENS_KEY);
    this.deps.storage.removeItem(PENDING_KEY);
    this.deps.location.assign(logoutUrl(this.auth));
  }

  /**
   * A `fetch` for the query API: adds the bearer token; on a 401 `TOKEN_EXPIRED` refreshes the tokens once
   * and retries the request once. When the API still refuses the token (or no refresh works), the tokens
   * are dropped and sign-in begins again; the 401 answer is returned so the caller reports it meanwhile.
   */
  readonly fetch: Fetch = async (input, init) => {
    const sent = this.bearerToken();
    const first = await this.deps.fetch(input, this.withBearer(init));
    if (first.status !== 401) return first;
    let response = first;
    // A request that left before another one's refresh finished retries with the new token as it is.
    const renewed = (): boolean => this.bearerToken() !== sent;
    if ((await errorCodeOf(first)) === 'TOKEN_EXPIRED' && (renewed() || (await this.refresh()))) {
      response = await this.deps.fetch(input, this.withBearer(init));
      if (response.status !== 401) return response;
    }
    this.deps.storage.removeItem(TOKENS_KEY);
    await this.begin();
    return response;
  };

  private async complete(code: string, state: string | null): Promise<void> {
    const pending = readJson<Pending>(this.deps.storage, PENDING_KEY);
    this.deps.storage.removeItem(PENDING_KEY);
    if (pending === undefined || state === null || pending.state !== state) {
      throw new SignInError(
        'STATE_MISMATCH',
        "the sign-in answer's state does not match the one this tab sent (an old or foreign sign-in link); open the viewer again to sign in",
      );
    }
    const tokens = await this.tokenRequest({
      grant_type: 'authorization_code',
      client_id: this.auth.clientId,
      code,
      redirect_uri: this.auth.redirectUri,
      code_verifier: pending.verifier,
    });
    this.store(tokens);
    this.deps.location.replace(`${new URL(this.deps.location.href).pathname}${pending.search}`);
  }

  /** Refreshes the tokens with the refresh token; concurrent callers share one request. */
  private refresh(): Promise<boolean> {
    if (this.refreshing === undefined) {
      this.refreshing = this.refreshOnce().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async refreshOnce(): Promise<boolean> {
    const refreshToken = this.tokens()?.refreshToken;
    if (refreshToken === undefined) return false;
    try {
      const tokens = await this.tokenRequest({
        grant_type: 'refresh_token',
        client_id: this.auth.clientId,
        refresh_token: refreshToken,
      });
      this.store({ ...tokens, refreshToken: tokens.refreshToken ?? refreshToken });
      return true;
    } catch {
      return false;
    }
  }

  private async tokenRequest(form: Record<string, string>): Promise<Tokens> {
    let response: Response;
    let body: Record<string, unknown>;
    try {
      response = await this.deps.fetch(tokenUrl(this.auth), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      body = (await response.json()) as Record<string, unknown>;
    } catch (cause) {
      throw new SignInError(
        'TOKEN_EXCHANGE',
        `the token endpoint did not answer: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    if (!response.ok || typeof body.access_token !== 'string') {
      const why = typeof body.error === 'string' ? body.error : `status ${response.status}`;
      throw new SignInError(
        'TOKEN_EXCHANGE',
        `the token endpoint refused the ${form.grant_type} grant (${why})`,
      );
    }
    return {
      accessToken: body.access_token,
      idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    };
  }

  private store(tokens: Tokens): void {
    this.deps.storage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  }

  private tokens(): Tokens | undefined {
    const tokens = readJson<Tokens>(this.deps.storage, TOKENS_KEY);
    return typeof tokens?.accessToken === 'string' ? tokens : undefined;
  }

  private bearerToken(): string | undefined {
    const tokens = this.tokens();
    return this.auth.tokenUse === 'id' ? tokens?.idToken : tokens?.accessToken;
  }

  private withBearer(init: RequestInit | undefined): RequestInit {
    const token = this.bearerToken();
    const headers = new Headers(init?.headers);
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    return { ...init, headers };
  }
}

async function errorCodeOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

function readJson<T>(storage: TokenStorage, key: string): T | undefined {
  const text = storage.getItem(key);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
