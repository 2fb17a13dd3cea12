import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ApiClient, type Fetch } from './api-client.js';
import { logoutUrl } from './pkce.js';
import { loadAuthConfig, SignIn } from './sign-in.js';
import { ViewerApp, type ViewerProbe } from './viewer-app.js';

declare global {
  interface Window {
    /** The page's state, for tests and the benchmark. */
    __viewer?: ViewerProbe;
  }
}

const pageFetch: Fetch = (input, init) => fetch(input, init);

/** Signs in when `config.json` has `auth` (deployed); returns the fetch for the API, or `undefined` while leaving the page. */
async function apiFetch(): Promise<Fetch | undefined> {
  const auth = await loadAuthConfig(pageFetch);
  if (auth === undefined) return pageFetch;
  const signIn = new SignIn(auth, {
    fetch: pageFetch,
    storage: sessionStorage,
    location: {
      get href() {
        return location.href;
      },
      assign: (url) => location.assign(url),
      replace: (url) => history.replaceState(null, '', url),
    },
  });
  if ((await signIn.start()) === 'redirecting') return undefined;
  const signOut = document.getElementById('sign-out');
  if (signOut !== null) {
    signOut.setAttribute('href', logoutUrl(auth));
    signOut.hidden = false;
    signOut.addEventListener('click', (event) => {
      event.preventDefault();
      signIn.signOut();
    });
  }
  return signIn.fetch;
}

function showSignInError(error: unknown): void {
  const message = document.getElementById('message');
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (message !== null) {
    message.textContent = `${typeof code === 'string' ? code : 'PAGE'}: ${text}`;
    message.hidden = false;
    message.dataset.kind = 'error';
  }
  document.body.dataset.status = 'error';
}

try {
  const fetchFn = await apiFetch();
  if (fetchFn !== undefined) {
    const app = new ViewerApp(new ApiClient(fetchFn));
    window.__viewer = app.probe;
    void app.start();
  }
} catch (error) {
  showSignInError(error);
}
