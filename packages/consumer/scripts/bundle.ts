/**
 * Bundles the Lambda (src/lambda.ts, with the AWS SDK) into dist-lambda/index.mjs for nodejs22.x on arm64
 * with the devkit's `bundleLambda`, zips it into artifacts/secondrow-consumer.zip and prints the sizes.
 *
 * Usage: pnpm --filter @secondrow/consumer bundle [--no-zip] [--analyze]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleLambda } from '@secondrow/devkit';

const { values } = parseArgs({
  options: { 'no-zip': { type: 'boolean' }, analyze: { type: 'boolean' } },
});

await bundleLambda({
  root: fileURLToPath(new URL('..', import.meta.url)),
  entry: 'src/lambda.ts',
  ...(values['no-zip'] ? {} : { zipFile: 'artifacts/secondrow-consumer.zip' }),
  analyze: values.analyze === true,
});
