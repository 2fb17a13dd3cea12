import { parentPort } from 'node:worker_threads';
import { startLocalAws } from '@secondrow/consumer/local';

// Runs kinesalite and dynalite (via startLocalAws) on a thread of their own, so the servers and
// the pipeline under test do not share one event loop. The parent gets the endpoints, then sends
// 'close' when done.
const aws = await startLocalAws();
parentPort?.postMessage({ kinesisEndpoint: aws.kinesisEndpoint, dynamodbEndpoint: aws.dynamodbEndpoint });
parentPort?.on('message', (message: unknown) => {
  if (message !== 'close') return;
  aws.close().then(
    () => parentPort?.close(),
    () => parentPort?.close(),
  );
});
