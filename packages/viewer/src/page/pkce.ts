/**
 * The pure parts of the OAuth 2.0 authorization code flow with PKCE (RFC 7636): the code verifier, its
 * S256 challenge, the `state`, and the managed login's authorize and logout URLs. Randomness comes from
 * Web Crypto unless a source is passed; nothing here touches `location` or storage.
 */

/** Where the managed login lives and who the page is, as `config.json`'s `auth` says. */
export interface OAuthClient {
  /** The sign-in domain, e.g. `https://secondrow-123.auth.eu-west-1.amazoncognito.com` (no trailing `/`). */
  signInBaseUrl: string;
  /** The app client id. */
  clientId: string;
  /** Where the managed login sends the browser back (the page's URL). */
  redirectUri: string;
  /** OAuth scopes, e.g. `['openid', 'email']`. */
  scopes: readonly string[];
}

/** Fills `n` random bytes; the default is `crypto.getRandomValues`. */
export type RandomBytes = (n: number) => Uint8Array;

/** Characters a code verifier may hold (RFC 7636 §4.1: ALPHA / DIGIT / `-` / `.` / `_` / `~`). */
export const VERIFIER_ALPHABET = /^[A-Za-z0-9\-._~]{43,128}$/;

const webRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** Base64url without padding (RFC 4648 §5) of `bytes`. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * A fresh code verifier: base64url of 48 random bytes, so 64 characters of the unreserved alphabet
 * (within RFC 7636's 43–128).
 */
export function codeVerifier(random: RandomBytes = webRandom): string {
  return base64url(random(48));
}

/** The S256 challenge of `verifier`: base64url(SHA-256(ASCII verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** A fresh `state`: base64url of 16 random bytes, checked when the managed login sends the browser back. */
export function randomState(random: RandomBytes = webRandom): string {
  return base64url(random(16));
}

/** The managed login's authorize URL for the code flow with an S256 `challenge` and `state`. */
export function authorizeUrl(client: OAuthClient, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: client.scopes.join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return `${client.signInBaseUrl}/oauth2/authorize?${query}`;
}

/** The managed login's token endpoint. */
export function tokenUrl(client: OAuthClient): string {
  return `${client.signInBaseUrl}/oauth2/token`;
}

/** The managed login's logout URL; it ends the login session and sends the browser back to the page. */
export function logoutUrl(client: OAuthClient): string {
  const query = new URLSearchParams({ client_id: client.clientId, logout_uri: client.redirectUri });
  return `${client.signInBaseUrl}/logout?${query}`;
}
