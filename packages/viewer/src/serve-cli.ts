/**
 * `pnpm viewer`: serves the viewer page and the query API on one origin (see `VIEWER_HELP`). Flags are
 * checked before anything starts; exit code 2 for bad flags, 1 for a failure.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeviceRegistry, SampleStore } from '@secondrow/codec/dynamodb';
import { ViewerUsageError } from './errors.js';
import { startLocalFleet } from './local-fleet.js';
import { buildPage, DEFAULT_DIST_DIR, ensurePageBuilt } from './page-build.js';
import { parseViewerArgs, VIEWER_HELP, type ViewerArgs } from './serve-args.js';
import { RegistryStoreSource } from './store-source.js';
import { startViewerServer } from './viewer-server.js';

async function main(argv: readonly string[]): Promise<number> {
  let args: ViewerArgs;
  try {
    args = parseViewerArgs(argv);
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
    let source: RegistryStoreSource;
    if (args.table === undefined) {
      process.stdout.write(
        `writing ${args.fleet.devices} simulated devices × ${args.fleet.minutes} min into a local DynamoDB…\n`,
      );
      const fleet = await startLocalFleet({
        devices: args.fleet.devices,
        durationMs: args.fleet.minutes * 60_000,
      });
      cleanups.push(() => fleet.close());
      source = new RegistryStoreSource(fleet.store, fleet.registry);
      process.stdout.write(`local table ${fleet.tableName} at ${fleet.aws.dynamodbEndpoint}\n`);
    } else {
      const client = new DynamoDBClient({
        ...(args.table.region === undefined ? {} : { region: args.table.region }),
        ...(args.table.endpoint === undefined ? {} : { endpoint: args.table.endpoint }),
      });
      cleanups.push(async () => client.destroy());
      source = new RegistryStoreSource(
        new SampleStore({ client, tableName: args.table.name }),
        new DeviceRegistry({ client, tableName: args.table.name }),
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
