import type { Language } from '@candor/core';
import type { PrivacyFacts } from './privacy-facts.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const LABELS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {
    title: 'How {site} personalizes, and what it never does',
    purposes: 'Why data is used',
    basis: ' (legal basis: {basis}): ',
    fields: 'Data this site may use',
    field: 'Data',
    source: 'Source',
    purpose: 'Purpose',
    kept: 'Kept on',
    retention: 'Kept for',
    day: '{n} day',
    days: '{n} days',
    error: '{n} error',
    errors: '{n} errors',
    warning: '{n} warning',
    warnings: '{n} warnings',
    never: 'Never used',
    gpc: 'Browser privacy signals',
    choices: 'Where your choices are made',
    lint: 'Last publish check',
    lintResult: 'Version {v}, published {date}: {e}, {w} ({a} acknowledged).',
    other: '中文',
  },
  'zh-Hant': {
    title: '{site} 如何個人化內容，以及絕不做的事',
    purposes: '使用資料的目的',
    basis: '（法律依據：{basis}）：',
    fields: '本網站可能使用的資料',
    field: '資料',
    source: '來源',
    purpose: '目的',
    kept: '保存位置',
    retention: '保存期限',
    day: '{n} 天',
    days: '{n} 天',
    error: '{n} 個錯誤',
    errors: '{n} 個錯誤',
    warning: '{n} 個警告',
    warnings: '{n} 個警告',
    never: '絕不使用',
    gpc: '瀏覽器隱私訊號',
    choices: '您在哪裡做出選擇',
    lint: '最近一次發布檢查',
    lintResult: '版本 {v}，發布於 {date}：{e}，{w}（已確認 {a} 個）。',
    other: 'English',
  },
};

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => String(values[name] ?? ''));
}

const PLURALS: Readonly<Record<Language, Intl.PluralRules>> = {
  en: new Intl.PluralRules('en'),
  'zh-Hant': new Intl.PluralRules('zh-Hant'),
};

/** A count in words with the language's plural form: "1 day", "180 days", "1 天". */
function count(labels: Readonly<Record<string, string>>, language: Language, n: number, one: string, other: string) {
  return fill(labels[PLURALS[language].select(n) === 'one' ? one : other] ?? '', { n });
}

/** Renders the public trust page; every value is escaped, since drafts are admin input. */
export function renderPrivacyHtml(facts: PrivacyFacts, language: Language): string {
  const t = LABELS[language];
  const e = escapeHtml;
  const other: Language = language === 'en' ? 'zh-Hant' : 'en';
  const date = new Date(facts.publishedAt).toISOString().slice(0, 10);
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(fill(t['title'] ?? '', { site: facts.controller }))}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;text-align:left}</style>
</head>
<body>
${facts.languages.includes(other) ? `<p><a href="?lang=${other}" hreflang="${other}">${e(t['other'] ?? '')}</a></p>` : ''}
<h1>${e(fill(t['title'] ?? '', { site: facts.controller }))}</h1>
<h2>${e(t['purposes'] ?? '')}</h2>
<ul>${facts.purposes.map((p) => `<li><strong>${e(p.name)}</strong>${e(fill(t['basis'] ?? '', { basis: p.legalBasisText }))}${e(p.description)}</li>`).join('')}</ul>
<h2>${e(t['fields'] ?? '')}</h2>
<table><thead><tr><th>${e(t['field'] ?? '')}</th><th>${e(t['source'] ?? '')}</th><th>${e(t['purpose'] ?? '')}</th><th>${e(t['kept'] ?? '')}</th><th>${e(t['retention'] ?? '')}</th></tr></thead>
<tbody>${facts.fields
    .map(
      (f) =>
        `<tr><td>${e(f.label)}<br><small>${e(f.whyWeAsk)}</small></td><td>${e(f.sourceText)}</td><td>${e(f.purposeName)}</td><td>${e(f.keptOnText)}</td><td>${e(count(t, language, f.retentionDays, 'day', 'days'))}</td></tr>`,
    )
    .join('')}</tbody></table>
<h2>${e(t['never'] ?? '')}</h2><p>${e(facts.neverUsed)}</p>
<h2>${e(t['gpc'] ?? '')}</h2><p>${e(facts.gpc)}</p>
<h2>${e(t['choices'] ?? '')}</h2><p>${e(facts.consentSource.text)}</p>${
    facts.consentSource.mapping.length > 0
      ? `<ul>${facts.consentSource.mapping
          .map((row) => `<li>${e(row.from)} → ${e(row.purposes.join(', '))}</li>`)
          .join('')}</ul>`
      : ''
  }<p>${e(facts.consentSource.pagesMayDiffer)}</p>
<h2>${e(t['lint'] ?? '')}</h2><p>${e(
    fill(t['lintResult'] ?? '', {
      v: facts.snapshotVersion,
      date,
      e: count(t, language, facts.lint.errors, 'error', 'errors'),
      w: count(t, language, facts.lint.warnings, 'warning', 'warnings'),
      a: facts.lint.acknowledged,
    }),
  )}</p>
</body>
</html>
`;
}
