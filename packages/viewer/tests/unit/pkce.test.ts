import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  base64url,
  codeChallenge,
  codeVerifier,
  logoutUrl,
  randomState,
  VERIFIER_ALPHABET,
} from '../../src/page/pkce.js';

const client = {
  signInBaseUrl: 'https://login.example.test',
  clientId: 'client-1',
  redirectUri: 'https://d1.cloudfront.net/',
  scopes: ['openid', 'email'],
};

const nodeBase64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('base64url', () => {
  it('matches base64url without padding for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => base64url(bytes) === nodeBase64url(bytes)),
    );
  });
});

describe('codeVerifier and codeChallenge', () => {
  it('the verifier is 43–128 unreserved characters and the challenge is base64url(SHA-256(verifier))', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 48, maxLength: 48 }), async (bytes) => {
        const verifier = codeVerifier(() => bytes);
        expect(verifier).toMatch(VERIFIER_ALPHABET);
        const expected = createHash('sha256').update(verifier, 'ascii').digest('base64url');
        expect(await codeChallenge(verifier)).toBe(expected);
      }),
    );
  });

  it('matches the RFC 7636 appendix B example', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('draws fresh values from Web Crypto by default', () => {
    expect(codeVerifier()).toMatch(VERIFIER_ALPHABET);
    expect(codeVerifier()).not.toBe(codeVerifier());
    expect(randomState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('authorizeUrl and logoutUrl', () => {
  it('asks the managed login for a code with an S256 challenge, the scopes and the state', () => {
    const url = new URL(authorizeUrl(client, 'chal', 'st'));
    expect(url.origin + url.pathname).toBe('https://login.example.test/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://d1.cloudfront.net/',
      scope: 'openid email',
      code_challenge: 'chal',
      code_challenge_method: 'S256',
      state: 'st',
    });
  });

  it('logs out back to the page', () => {
    const url = new URL(logoutUrl(client));
    expect(url.origin + url.pathname).toBe('https://login.example.test/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1',
      logout_uri: 'https://d1.cloudfront.net/',
    });
  });
});
