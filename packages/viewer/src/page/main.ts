import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ApiClient } from './api-client.js';
import { ViewerApp, type ViewerProbe } from './viewer-app.js';

declare global {
  interface Window {
    /** The page's state, for tests and the benchmark. */
    __viewer?: ViewerProbe;
  }
}

const app = new ViewerApp(new ApiClient((input, init) => fetch(input, init)));
window.__viewer = app.probe;
void app.start();
