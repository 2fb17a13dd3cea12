/**
 * `pnpm viewer`: serves the viewer page and the query API on one origin (see `VIEWER_HELP`). Flags are
 * checked before anything starts; exit code 2 for bad flags, 1 for a failure.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultDataDir } from '@secondrow/local';
import { createStoreSource, type SampleSource } from '@secondrow/query';
import { ViewerUsageError } from './errors.js';
import { hasKeptData, openKeptTable } from './kept-table.js';
import { startLocalFleet } from './local-fleet.js';
import { buildPage, DEFAULT_DIST_DIR, ensurePageBuilt } from './page-build.js';
import { parseViewerArgs, VIEWER_HELP, type ViewerArgs } from './serve-args.js';
import { startViewerServer } from './viewer-server.js';

async function main(argv: readonly string[]): Promise<number> {
  let args: ViewerArgs;
  try {
    const keptDir = defaultDataDir();
    args = parseViewerArgs(argv, hasKeptData(keptDir) ? keptDir : undefined);
  } catch (error) {
    if (error instanceof ViewerUsageError) {
      process.stderr.write(`${error.message}\n\n${VIEWER_HELP}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(VIEWER_HELP);
    return 0;
  }
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const page = args.rebuild
      ? { dir: await buildPage(DEFAULT_DIST_DIR), built: true }
      : await ensurePageBuilt();
    process.stdout.write(
      page.built ? `built the page into ${page.dir}\n` : `using the page built in ${page.dir}\n`,
    );
    let source: SampleSource;
    if (args.kept !== undefined) {
      const kept = await openKeptTable(args.kept.dir, args.kept.table);
      cleanups.push(() => kept.close());
      source = createStoreSource({ client: kept.aws.dynamodb, tableName: kept.tableName });
      process.stdout.write(
        `serving the kept table ${kept.tableName} of ${args.kept.dir} (pnpm demo --keep) at ${kept.aws.dynamodbEndpoint}\n`,
      );
    } else if (args.table === undefined) {
      process.stdout.write(
        `writing ${args.fleet.devices} simulated devices × ${args.fleet.minutes} min into a local DynamoDB…\n`,
      );
      const fleet = await startLocalFleet({
        devices: args.fleet.devices,
        durationMs: args.fleet.minutes * 60_000,
      });
      cleanups.push(() => fleet.close());
      source = createStoreSource({ client: fleet.aws.dynamodb, tableName: fleet.tableName });
      process.stdout.write(
        `serving a simulated fleet: local table ${fleet.tableName} at ${fleet.aws.dynamodbEndpoint}\n`,
      );
    } else {
      const client = new DynamoDBClient({
        ...(args.table.region === undefined ? {} : { region: args.table.region }),
        ...(args.table.endpoint === undefined ? {} : { endpoint: args.table.endpoint }),
      });
      cleanups.push(async () => client.destroy());
      source = createStoreSource({ client, tableName: args.table.name });
      process.stdout.write(
        `serving the table ${args.table.name} (${args.table.endpoint ?? args.table.region ?? 'default region'})\n`,
      );
    }
    const server = await startViewerServer({ source, pageDir: page.dir, host: args.host, port: args.port });
    cleanups.push(() => server.close());
    process.stdout.write(`viewer: ${server.url}\n(Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    process.stdout.write('stopping…\n');
    await stop();
    return 0;
  } catch (error) {
    await stop();
    process.stderr.write(`viewer: ${(error as Error).message}\n`);
    return 1;
  }
}

// `pnpm viewer -- --port 1` passes the separator through.
const argv = process.argv.slice(2);
process.exitCode = await main(argv[0] === '--' ? argv.slice(1) : argv);
