/**
 * What the SDK's sanitiser removes from variant HTML, found by pattern so the linter can say so at
 * publish time (core has no DOM). The sanitiser stays the guarantee; this only tells the author.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [
    /<\s*(script|style|iframe|frame|frameset|object|embed|template|noscript|svg|math|link|meta|base|form|input|button|select|textarea|dialog|portal)\b/i,
    'a <$1> element (removed with everything inside it)',
  ],
  [/\son[a-z]+\s*=/i, 'an event handler attribute such as onclick (removed)'],
  [/\sstyle\s*=/i, 'a style attribute (removed; use a class)'],
  [
    /\s(?:href|src|cite)\s*=\s*["']?\s*(?:javascript|data|vbscript)\s*:/i,
    'a javascript:, data: or vbscript: URL (removed)',
  ],
];

/** What in this HTML the sanitiser would remove, in words; empty when it is all kept. */
export function unsafeHtmlParts(html: string): string[] {
  const found: string[] = [];
  for (const [pattern, words] of PATTERNS) {
    const match = pattern.exec(html);
    if (match !== null) found.push(words.replace('$1', (match[1] ?? '').toLowerCase()));
  }
  return found;
}
