#!/usr/bin/env node
import { defaultDataDir } from '@secondrow/local';
import { runDemo } from './demo.js';
import { DEMO_HELP, parseDemoArgs } from './demo-args.js';
import { type KeptTable, keptTableText } from './demo-keep.js';
import { isSimulatorError } from './errors.js';
import { formatReport } from './report-text.js';

async function main(): Promise<number> {
  // The SDK's notice that its 2027 releases need Node 22 is for the maintainers, not each demo run;
  // its own switch turns it off (an explicit setting wins).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  let kept: KeptTable | undefined;
  const report = await runDemo({ ...args.options, onKept: (table) => (kept = table) });
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  if (kept !== undefined) process.stderr.write(keptTableText(kept, defaultDataDir()));
  // ok: nothing lost, duplicated or changed and no batch discarded, in every pass.
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`demo failed${isSimulatorError(error) ? ` (${error.code})` : ''}: ${message}\n`);
    process.exitCode = 2;
  },
);
