import { createHash } from 'node:crypto';

/**
 * CloudFormation logical IDs as CDK derives them from construct path components (`makeUniqueId` in
 * aws-cdk-lib, which is not exported): the path's alphanumerics plus the first 8 hex digits of its MD5.
 * The stack uses it to give resources inside its capability constructs the IDs they had when the stack
 * held them directly, so an update never replaces the stream, the table or the queue.
 *
 * @param components - Path components below the stack, e.g. `['RowTable', 'Resource']`.
 * @returns The logical ID, e.g. `RowTable3D26ACF7`.
 */
export function logicalIdOf(components: readonly string[]): string {
  const parts = components.filter((part) => part !== 'Default');
  const alnum = (part: string): string => part.replace(/[^A-Za-z0-9]/g, '');
  if (parts.length === 1 && alnum(parts[0]!).length <= 255) return alnum(parts[0]!);
  const hash = createHash('md5').update(parts.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const part of parts) {
    if (human.length === 0 || !human[human.length - 1]!.endsWith(part)) human.push(part);
  }
  return (
    human
      .filter((part) => part !== 'Resource')
      .map(alnum)
      .join('')
      .slice(0, 240) + hash
  );
}
