#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The SDK's notice that its 2027 releases need Node 22 is for maintainers, not each run (an explicit setting wins).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A closed pipe on stdout (`| head`) is an 'error' event: without a listener it would crash the process
// before the export sees it; writeChunk reports it and runCli ends quietly.
process.stdout.on('error', () => {});
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`secondrow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
