/** Formats a number for people: thousands separators, about three significant digits for small values. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  if (abs >= 0.01) return n.toFixed(3);
  return n.toPrecision(2);
}

/** Formats dollars: `$82.13`, `$1.64`, `$0.0062`. */
export function formatUsd(n: number): string {
  if (n >= 10) return `$${n.toFixed(2)}`;
  if (n >= 0.1) return `$${n.toFixed(3)}`;
  if (n === 0) return '$0';
  return `$${n.toPrecision(2)}`;
}

/** Formats bytes in B, KB, MB (powers of 1024). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 10 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}
