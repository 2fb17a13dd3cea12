import { parentPort, workerData } from 'node:worker_threads';
import { type ServerOptions, startServersInline, type WorkerReady } from './local-servers.js';

// Runs kinesalite and dynalite on a thread of their own, so the servers and the code under test do not
// share one event loop. The parent gets the endpoints, then sends 'close' when done.
const servers = await startServersInline(workerData as ServerOptions);
const ready: WorkerReady = {
  dynamodbEndpoint: servers.dynamodbEndpoint,
  kinesisEndpoint: servers.kinesisEndpoint,
};
parentPort?.postMessage(ready);
parentPort?.on('message', (message: unknown) => {
  if (message !== 'close') return;
  servers.close().then(
    () => parentPort?.close(),
    () => parentPort?.close(),
  );
});
