import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ProgressBar } from '@secondrow/devkit';
import { type AuditArgs, type ExportArgs, parseCliArgs } from './args.js';
import { renderAuditHtml } from './audit-html.js';
import { auditTable } from './audit-read.js';
import { formatAuditText } from './audit-text.js';
import { ArgumentError, isCliError, WriteFailedError } from './errors.js';
import { exportSamples } from './export.js';
import { writeChunk } from './output-stream.js';
import { openTable } from './table-source.js';

/** Streams and environment of one run of the command. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs `secondrow` with `argv` (the arguments after the program name): checks every flag, then exports or
 * audits. Errors are printed on stderr, never thrown.
 *
 * @returns The exit status: 0 done; 1 failed while reading or writing; 2 bad flags or no local data.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv, io.env);
    if (args.command === 'help') {
      await writeChunk(io.stdout, args.text);
      return 0;
    }
    if (args.command === 'export') await runExport(args, io);
    else await runAudit(args, io);
    return 0;
  } catch (error) {
    // The reader of stdout went away (`| head`): what it wanted was written; stop quietly, as cat does.
    if (error instanceof WriteFailedError && (error.cause as { code?: string } | undefined)?.code === 'EPIPE')
      return 0;
    const message = error instanceof Error ? error.message : String(error);
    const code = isCliError(error) ? ` (${error.code})` : '';
    io.stderr.write(`secondrow: ${message}${code}\n`);
    return isCliError(error) && (error.code === 'INVALID_ARGUMENT' || error.code === 'NO_LOCAL_DATA') ? 2 : 1;
  }
}

async function runExport(args: ExportArgs, io: CliIo): Promise<void> {
  if (args.format === 'parquet' && args.out === undefined && io.stdout.isTTY === true) {
    throw new ArgumentError('--out', 'Parquet is binary: give --out FILE or pipe stdout into a file');
  }
  const table = await openTable(args.source);
  const progress = new ProgressBar({ stream: io.stderr, quiet: args.quiet, delayMs: 500 });
  // A file is written beside its name and renamed when complete, so a failed export leaves no truncated file.
  const partial = args.out === undefined ? undefined : `${args.out}.partial`;
  let out: Writable = io.stdout;
  try {
    if (partial !== undefined) out = await openFile(partial);
    const span = args.toMs - args.fromMs;
    const summary = await exportSamples(table, args, out, (reached, samples) => {
      progress.update(
        (reached - args.fromMs) / span,
        `${args.device}: ${samples.toLocaleString('en-US')} samples`,
      );
    });
    if (partial !== undefined && args.out !== undefined) {
      await closeFile(out);
      renameSync(partial, args.out);
    }
    progress.finish();
    if (!args.quiet) {
      const seconds = progress.elapsedSeconds();
      io.stderr.write(
        `exported ${summary.samples.toLocaleString('en-US')} samples of ${args.device} (${summary.pages} pages, ` +
          `${summary.readUnits} read units) as ${args.format} to ${args.out ?? 'stdout'} in ${seconds.toFixed(1)} s\n`,
      );
    }
  } catch (error) {
    progress.finish();
    if (partial !== undefined) {
      out.destroy();
      rmSync(partial, { force: true });
    }
    throw error;
  } finally {
    await table.close();
  }
}

async function runAudit(args: AuditArgs, io: CliIo): Promise<void> {
  const table = await openTable(args.source);
  const progress = new ProgressBar({ stream: io.stderr, quiet: args.quiet, delayMs: 500 });
  let audit: Awaited<ReturnType<typeof auditTable>>;
  try {
    audit = await auditTable(table, args, (index, count, deviceId) =>
      progress.update(index / count, `auditing ${deviceId} (${index + 1}/${count})`),
    );
  } finally {
    progress.finish();
    await table.close();
  }
  if (args.html !== undefined) {
    try {
      writeFileSync(args.html, renderAuditHtml(audit));
    } catch (error) {
      throw new WriteFailedError(`cannot write ${args.html}: ${(error as Error).message}`, { cause: error });
    }
    if (!args.quiet) io.stderr.write(`wrote ${args.html}\n`);
  }
  if (args.json) await writeChunk(io.stdout, `${JSON.stringify(audit, null, 2)}\n`);
  else if (args.html === undefined) await writeChunk(io.stdout, formatAuditText(audit));
}

async function openFile(path: string): Promise<Writable> {
  const file = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    file.once('open', () => resolve());
    file.once('error', (error) =>
      reject(new WriteFailedError(`cannot write ${path}: ${error.message}`, { cause: error })),
    );
  });
  return file;
}

async function closeFile(file: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    file.end((error?: Error | null) =>
      error
        ? reject(new WriteFailedError(`closing the output failed: ${error.message}`, { cause: error }))
        : resolve(),
    );
  });
}
