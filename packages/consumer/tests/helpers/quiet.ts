import type { ConsumerLogger } from '@secondrow/consumer';

/** A logger that keeps lines in memory instead of printing them. */
export function memoryLogger(): ConsumerLogger & {
  lines: { level: string; message: string; extra: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, extra: Record<string, unknown>) => {
    lines.push({ level, message, extra });
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}
