import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BundleMissingError } from './errors.js';

/** What {@link requireBuildOutput} looks for and how to make it when it is missing. */
export interface BuildOutput {
  /** The build directory (or, when `allowFile`, a zip of it). */
  path: string;
  /** The file the directory must hold, e.g. `index.mjs` or `index.html`. */
  entry: string;
  /** What the build is, for the message, e.g. `query Lambda bundle`. */
  what: string;
  /** The command that makes it, e.g. `pnpm --filter @secondrow/query bundle`. */
  command: string;
  /** What the command writes, added to the message. */
  writes?: string;
  /** Accept a file at `path` (a zip of the bundle). Default false. */
  allowFile?: boolean;
}

/**
 * Checks that a build output the stack deploys is where it is expected, so a missing build stops the synth
 * with the command that makes it instead of deploying an empty asset.
 *
 * @throws {BundleMissingError} when `path` does not exist, or is a directory without `entry`, or is a file
 *   and `allowFile` is not set.
 */
export function requireBuildOutput(output: BuildOutput): void {
  const { path, entry } = output;
  const missing = (): BundleMissingError =>
    new BundleMissingError(
      `${output.what} not found at ${path}: run \`${output.command}\` first` +
        (output.writes === undefined ? '' : ` (it writes ${output.writes})`),
    );
  if (!existsSync(path)) throw missing();
  const isDirectory = statSync(path).isDirectory();
  if (isDirectory ? !existsSync(join(path, entry)) : output.allowFile !== true) throw missing();
}
