import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { InfraError } from './errors.js';
import { SecondrowStack } from './secondrow-stack.js';
import { stackNameFromContext, stackPropsFromContext } from './stack-config.js';

// The CDK app: `pnpm --filter @secondrow/infra synth` or `... deploy` (which bundle the consumer first).
// Parameters are context values: `cdk deploy -c shardCount=4 -c batchSize=1000`; `-c viewer=true` adds the viewer.
// A setting error stops the synth with its one-line message (and exit code 1), not a stack trace.
try {
  const app = new App();
  const read = (key: string): unknown => app.node.tryGetContext(key);
  const stackName = stackNameFromContext(read, 'SecondrowConsumer');
  const defaultCodePath = fileURLToPath(new URL('../../consumer/dist-lambda', import.meta.url));
  const viewerDefaults = {
    queryCodePath: fileURLToPath(new URL('../../query/dist-lambda', import.meta.url)),
    pagePath: fileURLToPath(new URL('../../viewer/dist', import.meta.url)),
  };

  new SecondrowStack(app, stackName, {
    ...stackPropsFromContext(read, defaultCodePath, viewerDefaults),
    // Unset outside `cdk deploy`: the stack is then environment-agnostic, which synth and tests accept.
    env: {
      ...(process.env.CDK_DEFAULT_ACCOUNT === undefined ? {} : { account: process.env.CDK_DEFAULT_ACCOUNT }),
      ...(process.env.CDK_DEFAULT_REGION === undefined ? {} : { region: process.env.CDK_DEFAULT_REGION }),
    },
    description: 'secondrow: Kinesis -> Lambda -> DynamoDB per-second accelerometer rows',
  });
  app.synth();
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  process.stderr.write(`${error.name} (${error.code}): ${error.message}\n`);
  process.exitCode = 1;
}
