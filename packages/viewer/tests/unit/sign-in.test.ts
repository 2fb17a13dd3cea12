import { describe, expect, it } from 'vitest';
import { SignInError } from '../../src/errors.js';
import { ApiClient } from '../../src/page/api-client.js';
import { codeChallenge } from '../../src/page/pkce.js';
import {
  type AuthConfig,
  loadAuthConfig,
  PENDING_KEY,
  parseAuthConfig,
  SignIn,
  TOKENS_KEY,
} from '../../src/page/sign-in.js';

const auth: AuthConfig = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client-1',
  signInBaseUrl: 'https://login.example.test',
  redirectUri: 'https://d1.cloudfront.net/',
  scopes: ['openid', 'email'],
  tokenUse: 'access',
};
const config = { version: 1, apiBaseUrl: '/api', auth };

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A page: memory storage, a location that records where it went, and a scripted fetch. */
function page(href: string, answer: (call: Call) => Response | Promise<Response> = () => json(404, {})) {
  const store = new Map<string, string>();
  const calls: Call[] = [];
  const assigned: string[] = [];
  const replaced: string[] = [];
  let current = href;
  const signIn = new SignIn(auth, {
    fetch: async (url, init) => {
      const call = { url, init };
      calls.push(call);
      return answer(call);
    },
    storage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
    },
    location: {
      get href() {
        return current;
      },
      assign: (url) => void assigned.push(url),
      replace: (url) => {
        replaced.push(url);
        current = new URL(url, current).href;
      },
    },
  });
  return { signIn, store, calls, assigned, replaced };
}

const bearer = (call: Call) => new Headers(call.init?.headers).get('authorization');
const form = (call: Call) => Object.fromEntries(new URLSearchParams(String(call.init?.body)));

describe('loadAuthConfig', () => {
  it('gives no sign-in without config.json, with a non-JSON answer or without auth', async () => {
    expect(await loadAuthConfig(async () => new Response('no', { status: 404 }))).toBeUndefined();
    expect(await loadAuthConfig(async () => new Response('<html>', { status: 200 }))).toBeUndefined();
    expect(await loadAuthConfig(async () => json(200, { version: 1, apiBaseUrl: '/api' }))).toBeUndefined();
    expect(
      await loadAuthConfig(async () => {
        throw new TypeError('offline');
      }),
    ).toBeUndefined();
  });

  it('reads the auth infra writes', async () => {
    expect(await loadAuthConfig(async () => json(200, config))).toEqual(auth);
  });

  it('refuses an auth without a field the flow needs, naming it', () => {
    const bad = { auth: { ...auth, clientId: '' } };
    expect(() => parseAuthConfig(bad)).toThrow(SignInError);
    expect(() => parseAuthConfig(bad)).toThrow('auth.clientId');
    expect(() => parseAuthConfig({ auth: { ...auth, tokenUse: 'refresh' } })).toThrow('auth.tokenUse');
  });
});

describe('SignIn.start', () => {
  it('leaves for the authorize URL with a S256 challenge of the stashed verifier and the view kept', async () => {
    const p = page('https://d1.cloudfront.net/?device=w1&from=1&to=2');
    expect(await p.signIn.start()).toBe('redirecting');
    expect(p.assigned).toHaveLength(1);
    const url = new URL(p.assigned[0] as string);
    expect(url.origin + url.pathname).toBe('https://login.example.test/oauth2/authorize');
    const pending = JSON.parse(p.store.get(PENDING_KEY) as string);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://d1.cloudfront.net/',
      scope: 'openid email',
      code_challenge: await codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
    });
    expect(pending.search).toBe('?device=w1&from=1&to=2');
  });

  it('exchanges the code with the verifier, keeps the tokens in the storage and restores the view URL', async () => {
    const first = page('https://d1.cloudfront.net/?device=w1&from=1&to=2');
    await first.signIn.start();
    const pending = JSON.parse(first.store.get(PENDING_KEY) as string);
    const back = page(`https://d1.cloudfront.net/?code=c0de&state=${pending.state}`, () =>
      json(200, { access_token: 'A1', id_token: 'I1', refresh_token: 'R1', expires_in: 3600 }),
    );
    back.store.set(PENDING_KEY, JSON.stringify(pending));
    expect(await back.signIn.start()).toBe('signed-in');
    expect(back.calls).toHaveLength(1);
    const call = back.calls[0] as Call;
    expect(call.url).toBe('https://login.example.test/oauth2/token');
    expect(call.init?.method).toBe('POST');
    expect(new Headers(call.init?.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(form(call)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      code: 'c0de',
      redirect_uri: 'https://d1.cloudfront.net/',
      code_verifier: pending.verifier,
    });
    expect(JSON.parse(back.store.get(TOKENS_KEY) as string)).toEqual({
      accessToken: 'A1',
      idToken: 'I1',
      refreshToken: 'R1',
    });
    expect(back.store.has(PENDING_KEY)).toBe(false);
    expect(back.replaced).toEqual(['/?device=w1&from=1&to=2']);
  });

  it('refuses a state that is not the one this tab sent, with a clear message and no token request', async () => {
    const p = page('https://d1.cloudfront.net/?code=c0de&state=forged');
    p.store.set(PENDING_KEY, JSON.stringify({ state: 'mine', verifier: 'v'.repeat(64), search: '' }));
    const error = await p.signIn.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error).toMatchObject({ code: 'SIGN_IN', reason: 'STATE_MISMATCH' });
    expect((error as Error).message).toMatch(/state does not match/);
    expect(p.calls).toEqual([]);
    expect(p.store.has(TOKENS_KEY)).toBe(false);

    const none = page('https://d1.cloudfront.net/?code=c0de&state=any');
    await expect(none.signIn.start()).rejects.toMatchObject({ reason: 'STATE_MISMATCH' });
  });

  it('reports an OAuth error answer and a refused code', async () => {
    const denied = page('https://d1.cloudfront.net/?error=access_denied&error_description=nope');
    await expect(denied.signIn.start()).rejects.toMatchObject({
      reason: 'DENIED',
      message: /access_denied: nope/,
    });

    const refused = page('https://d1.cloudfront.net/?code=c&state=s', () =>
      json(400, { error: 'invalid_grant' }),
    );
    refused.store.set(PENDING_KEY, JSON.stringify({ state: 's', verifier: 'v'.repeat(64), search: '' }));
    await expect(refused.signIn.start()).rejects.toMatchObject({
      reason: 'TOKEN_EXCHANGE',
      message: /invalid_grant/,
    });
  });

  it('uses the tokens of this session without leaving', async () => {
    const p = page('https://d1.cloudfront.net/');
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1' }));
    expect(await p.signIn.start()).toBe('signed-in');
    expect(p.assigned).toEqual([]);
  });
});

describe('SignIn.fetch', () => {
  const devices = { version: 2, devices: [] };

  it('attaches the access token as a bearer and keeps the caller headers', async () => {
    const p = page('https://d1.cloudfront.net/', () => json(200, devices));
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', idToken: 'I1' }));
    await new ApiClient(p.signIn.fetch).devices();
    expect(p.calls.map(bearer)).toEqual(['Bearer A1']);
    await p.signIn.fetch('/api/devices', { headers: { accept: 'application/json' } });
    expect(new Headers(p.calls[1]?.init?.headers).get('accept')).toBe('application/json');
  });

  it('on TOKEN_EXPIRED refreshes once, stores the new access token and retries the request once', async () => {
    const p = page('https://d1.cloudfront.net/', (call) => {
      if (call.url.endsWith('/oauth2/token')) return json(200, { access_token: 'A2', id_token: 'I2' });
      return bearer(call) === 'Bearer A2'
        ? json(200, devices)
        : json(401, { code: 'TOKEN_EXPIRED', message: 'the token expired' });
    });
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    expect(await new ApiClient(p.signIn.fetch).devices()).toEqual([]);
    expect(p.calls.map((c) => c.url)).toEqual([
      '/api/devices',
      'https://login.example.test/oauth2/token',
      '/api/devices',
    ]);
    expect(form(p.calls[1] as Call)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'client-1',
      refresh_token: 'R1',
    });
    expect(p.calls[2] && bearer(p.calls[2])).toBe('Bearer A2');
    expect(JSON.parse(p.store.get(TOKENS_KEY) as string)).toMatchObject({
      accessToken: 'A2',
      refreshToken: 'R1',
    });
    expect(p.assigned).toEqual([]);
  });

  it('retries only once: a second 401 drops the tokens and starts sign-in again', async () => {
    const p = page('https://d1.cloudfront.net/?device=w1', (call) =>
      call.url.endsWith('/oauth2/token')
        ? json(200, { access_token: 'A2' })
        : json(401, { code: 'TOKEN_EXPIRED', message: 'the token expired' }),
    );
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    const response = await p.signIn.fetch('/api/devices');
    expect(response.status).toBe(401);
    expect(p.calls.filter((c) => c.url === '/api/devices')).toHaveLength(2);
    expect(p.store.has(TOKENS_KEY)).toBe(false);
    expect(p.assigned).toHaveLength(1);
    expect(p.assigned[0]).toMatch(/^https:\/\/login\.example\.test\/oauth2\/authorize\?/);
    expect(JSON.parse(p.store.get(PENDING_KEY) as string).search).toBe('?device=w1');
  });

  it('starts sign-in again on INVALID_TOKEN or a refused refresh, without retrying', async () => {
    const invalid = page('https://d1.cloudfront.net/', () =>
      json(401, { code: 'INVALID_TOKEN', message: 'bad' }),
    );
    invalid.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    await invalid.signIn.fetch('/api/devices');
    expect(invalid.calls.map((c) => c.url)).toEqual(['/api/devices']);
    expect(invalid.assigned).toHaveLength(1);

    const refused = page('https://d1.cloudfront.net/', (call) =>
      call.url.endsWith('/oauth2/token')
        ? json(400, { error: 'invalid_grant' })
        : json(401, { code: 'TOKEN_EXPIRED', message: 'expired' }),
    );
    refused.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    await refused.signIn.fetch('/api/devices');
    expect(refused.calls.map((c) => c.url)).toEqual([
      '/api/devices',
      'https://login.example.test/oauth2/token',
    ]);
    expect(refused.assigned).toHaveLength(1);
  });

  it('shares one refresh among requests that expire together', async () => {
    const p = page('https://d1.cloudfront.net/', (call) => {
      if (call.url.endsWith('/oauth2/token')) return json(200, { access_token: 'A2' });
      return bearer(call) === 'Bearer A2'
        ? json(200, devices)
        : json(401, { code: 'TOKEN_EXPIRED', message: 'x' });
    });
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    const answers = await Promise.all([p.signIn.fetch('/api/a'), p.signIn.fetch('/api/b')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(p.calls.filter((c) => c.url.endsWith('/oauth2/token'))).toHaveLength(1);
  });
});

describe('SignIn.fetch after another request refreshed', () => {
  it('retries a request sent with the old token without a second refresh', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const p = page('https://d1.cloudfront.net/', async (call) => {
      if (call.url.endsWith('/oauth2/token')) return json(200, { access_token: 'A2' });
      if (bearer(call) === 'Bearer A2') return json(200, { version: 2, devices: [] });
      if (call.url === '/api/slow') await held;
      return json(401, { code: 'TOKEN_EXPIRED', message: 'x' });
    });
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1', refreshToken: 'R1' }));
    const slow = p.signIn.fetch('/api/slow');
    expect((await p.signIn.fetch('/api/fast')).status).toBe(200);
    release();
    expect((await slow).status).toBe(200);
    expect(p.calls.filter((c) => c.url.endsWith('/oauth2/token'))).toHaveLength(1);
  });
});

describe('SignIn.signOut', () => {
  it('clears the session and leaves for the logout URL back to the page', () => {
    const p = page('https://d1.cloudfront.net/');
    p.store.set(TOKENS_KEY, JSON.stringify({ accessToken: 'A1' }));
    p.signIn.signOut();
    expect(p.store.size).toBe(0);
    expect(p.assigned).toEqual([
      'https://login.example.test/logout?client_id=client-1&logout_uri=https%3A%2F%2Fd1.cloudfront.net%2F',
    ]);
  });
});
