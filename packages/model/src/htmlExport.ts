import type { ActionPlan } from './ActionPlan.js';
import { type ExportLanguage, type NameLookup, planToMarkdown } from './exporters.js';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline Markdown of the exporters (bold only) to HTML, escaping everything else. */
function inline(text: string): string {
  return escapeHtml(text.replace(/\\([\\`*_[\]#<>|])/g, '$1')).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

/**
 * A printable HTML page (clean print-to-PDF) built from the Markdown export, so both always
 * hold the same content. Every text is escaped; no scripts, no external resources.
 */
export function markdownToPrintableHtml(markdown: string, options: { title: string; language?: ExportLanguage }): string {
  const body: string[] = [];
  let inList = false;
  const closeList = () => {
    if (inList) body.push('</ul>');
    inList = false;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      closeList();
      const level = heading[1]!.length;
      body.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (/^\s*- /.test(line)) {
      if (!inList) body.push('<ul>');
      inList = true;
      body.push(`<li>${inline(line.replace(/^\s*- /, ''))}</li>`);
    } else if (line.trim() === '') {
      closeList();
    } else {
      closeList();
      body.push(`<p>${inline(line)}</p>`);
    }
  }
  closeList();
  return `<!doctype html>
<html lang="${options.language ?? 'sv'}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
  h1 { font-size: 1.8rem; } h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1rem; margin-top: 1.5rem; }
  @media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; } li, p { break-inside: avoid; } }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

/** The plan as a printable HTML page. */
export function planToHtml(plan: ActionPlan, options: { language?: ExportLanguage; names?: NameLookup } = {}): string {
  return markdownToPrintableHtml(planToMarkdown(plan, options), { title: plan.title, ...(options.language ? { language: options.language } : {}) });
}
