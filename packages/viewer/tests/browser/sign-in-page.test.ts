import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@secondrow/devkit';
import { createStoreSource } from '@secondrow/query';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFleet, startLocalFleet } from '../../src/local-fleet.js';
import { buildPage } from '../../src/page-build.js';
import { startViewerServer, type ViewerServer } from '../../src/viewer-server.js';

/** One device, 2 min at 50 Hz, no holes. */
const END_MS = Date.UTC(2026, 11, 4, 10, 0, 0);
const DURATION_MS = 120_000;
const START_MS = END_MS - DURATION_MS;

/** What the fake managed login saw. */
interface LoginLog {
  authorize: Array<Record<string, string>>;
  token: Array<Record<string, string>>;
  logout: Array<Record<string, string>>;
}

let dir = '';
let fleet: LocalFleet | undefined;
let server: ViewerServer | undefined;
let login: Server | undefined;
let context: BrowserContext | undefined;
const log: LoginLog = { authorize: [], token: [], logout: [] };
/** Access tokens the fake API takes; the others answer TOKEN_EXPIRED. */
const validTokens = new Set<string>();
let challenge = '';

/**
 * A tiny managed login on 127.0.0.1: authorize sends the browser straight back with a code, the token
 * endpoint checks the verifier against the challenge and hands out tokens, logout sends the browser back.
 */
function startLogin(): Promise<Server> {
  const s = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    if (url.pathname === '/oauth2/authorize') {
      log.authorize.push(query);
      challenge = query.code_challenge ?? '';
      const back = new URL(query.redirect_uri ?? '');
      back.search = new URLSearchParams({
        code: `code-${log.authorize.length}`,
        state: query.state ?? '',
      }).toString();
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/logout') {
      log.logout.push(query);
      res.writeHead(302, { location: query.logout_uri ?? '/' }).end();
      return;
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(text));
        log.token.push(form);
        const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
        const n = log.token.length;
        const verified =
          form.grant_type === 'authorization_code' &&
          createHash('sha256')
            .update(form.code_verifier ?? '')
            .digest('base64url') === challenge;
        const refreshed = form.grant_type === 'refresh_token' && form.refresh_token === 'refresh-1';
        if (!verified && !refreshed) {
          res.writeHead(400, headers).end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        const access = `access-${n}`;
        validTokens.add(access);
        res.writeHead(200, headers).end(
          JSON.stringify({
            access_token: access,
            id_token: `id-${n}`,
            ...(refreshed ? {} : { refresh_token: 'refresh-1' }),
            token_type: 'Bearer',
            expires_in: 3600,
          }),
        );
      });
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-sign-in-'));
  context = await launchChromium();
  const pageDir = await buildPage(join(dir, 'dist'));
  fleet = await startLocalFleet({ devices: 1, durationMs: DURATION_MS, endMs: END_MS, holes: [] });
  server = await startViewerServer({
    source: createStoreSource({ client: fleet.aws.dynamodb, tableName: fleet.tableName }),
    pageDir,
  });
  login = await startLogin();
  const loginUrl = `http://127.0.0.1:${(login.address() as AddressInfo).port}`;
  writeFileSync(
    join(pageDir, 'config.json'),
    JSON.stringify({
      version: 1,
      apiBaseUrl: '/api',
      auth: {
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_test',
        clientId: 'viewer-client',
        signInBaseUrl: loginUrl,
        redirectUri: server.url,
        scopes: ['openid', 'email'],
        tokenUse: 'access',
      },
    }),
  );
});

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => login?.close(resolve));
  await server?.close();
  await fleet?.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** A page whose `/api/…` requests are checked like the query function does: a valid bearer or a 401. */
async function gatedPage(): Promise<{ page: Page; bearers: string[] }> {
  const page = await context!.newPage();
  const bearers: string[] = [];
  await page.route('**/api/**', async (route) => {
    const header = route.request().headers().authorization;
    bearers.push(header ?? '');
    const token = header?.replace(/^Bearer /, '');
    if (token === undefined || token === header) {
      await route.fulfill({ status: 401, json: { code: 'MISSING_TOKEN', message: 'no token' } });
    } else if (!validTokens.has(token)) {
      await route.fulfill({ status: 401, json: { code: 'TOKEN_EXPIRED', message: 'the token expired' } });
    } else {
      await route.continue();
    }
  });
  return { page, bearers };
}

const settled = (page: Page) =>
  page.waitForFunction(() => ['ready', 'empty', 'error'].includes(document.body.dataset.status ?? ''));

describe('the deployed sign-in, against a fake managed login', () => {
  it('signs in with PKCE, keeps the view URL, sends the bearer, refreshes once when it expires and signs out', async () => {
    // Arrange
    const device = fleet!.devices[0]!.deviceId;
    const view = `?device=${encodeURIComponent(device)}&from=${START_MS}&to=${END_MS}`;
    const { page, bearers } = await gatedPage();
    try {
      // Act: open a view link; the page leaves for the login and comes back with a code.
      await page.goto(`${server!.url}${view}`);
      await settled(page);
      // Assess
      expect(await page.evaluate(() => document.body.dataset.status)).toBe('ready');
      expect(await page.evaluate(() => location.search)).toBe(view);
      expect(log.authorize).toHaveLength(1);
      expect(log.authorize[0]).toMatchObject({
        response_type: 'code',
        client_id: 'viewer-client',
        redirect_uri: server!.url,
        scope: 'openid email',
        code_challenge_method: 'S256',
      });
      expect(log.token[0]).toMatchObject({ grant_type: 'authorization_code', code: 'code-1' });
      expect(new Set(bearers)).toEqual(new Set(['Bearer access-1']));
      const storage = await page.evaluate(() => ({
        session: sessionStorage.length,
        local: localStorage.length,
      }));
      expect(storage).toEqual({ session: 1, local: 0 });
      expect(await page.isVisible('#sign-out')).toBe(true);

      // Act: the access token expires; a reload refreshes it once and retries.
      validTokens.delete('access-1');
      bearers.length = 0;
      await page.reload();
      await settled(page);
      // Assess
      expect(await page.evaluate(() => document.body.dataset.status)).toBe('ready');
      expect(log.token.filter((f) => f.grant_type === 'refresh_token')).toHaveLength(1);
      expect(bearers[0]).toBe('Bearer access-1');
      expect(bearers.slice(1).every((b) => b === 'Bearer access-2')).toBe(true);
      expect(log.authorize).toHaveLength(1);

      // Act: sign out; the login sends the browser back, and the page signs in again.
      await Promise.all([page.waitForURL((url) => url.searchParams.has('code')), page.click('#sign-out')]);
      await settled(page);
      // Assess
      expect(log.logout).toEqual([{ client_id: 'viewer-client', logout_uri: server!.url }]);
      expect(log.authorize).toHaveLength(2);
      const params = new URL(page.url()).searchParams;
      expect([params.has('code'), params.has('state')]).toEqual([false, false]);
      expect(await page.evaluate(() => document.body.dataset.status)).toBe('ready');
    } finally {
      await page.close();
    }
  });
});
