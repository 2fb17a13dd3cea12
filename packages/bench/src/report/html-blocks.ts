import { escapeXml } from './svg-chart.js';

/** A table in a horizontally scrolling box whose first column stays in view, so no column is ever cut off. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  className = '',
): string {
  const head = headers.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A report section: its title, an explanation (HTML, not escaped) and its content. */
export function section(title: string, explanation: string, content: string): string {
  return `<section><h2>${escapeXml(title)}</h2><p class="explain">${explanation}</p>${content}</section>`;
}
