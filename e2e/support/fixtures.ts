// The site the browser suite publishes through the real admin API: a declared field, a free-text
// field (for HTML-as-text checks), a contextual campaign field, and HTML content that must be sanitised.
export const FIELDS = [
  {
    key: 'role',
    type: 'string',
    source: 'declared',
    purpose: 'personalization',
    category: 'none',
    origin: 'first_party',
    retentionDays: 180,
    coolingOffDays: 30,
    label: { en: 'role', 'zh-Hant': '職務' },
    question: { en: 'What is your role?', 'zh-Hant': '您的職務是什麼？' },
    whyWeAsk: { en: 'To show examples for your job.', 'zh-Hant': '為了顯示與您工作相關的範例。' },
    whatYouGet: { en: 'Relevant examples.', 'zh-Hant': '相關的範例。' },
    options: [
      { value: 'developer', label: { en: 'Developer', 'zh-Hant': '開發者' } },
      { value: 'marketer', label: { en: 'Marketer', 'zh-Hant': '行銷人員' } },
    ],
  },
  {
    key: 'company',
    type: 'string',
    source: 'declared',
    purpose: 'personalization',
    category: 'none',
    origin: 'first_party',
    retentionDays: 90,
    label: { en: 'company', 'zh-Hant': '公司' },
    question: { en: 'Where do you work?', 'zh-Hant': '您在哪裡工作？' },
    whyWeAsk: { en: 'To greet you.', 'zh-Hant': '為了問候您。' },
    whatYouGet: { en: 'A friendlier page.', 'zh-Hant': '更親切的頁面。' },
  },
  {
    key: 'utmCampaign',
    type: 'string',
    source: 'context',
    purpose: 'contextual',
    category: 'none',
    origin: 'first_party',
    retentionDays: 1,
    label: { en: 'campaign', 'zh-Hant': '活動來源' },
    whyWeAsk: { en: 'To match the campaign.', 'zh-Hant': '為了配合活動。' },
    whatYouGet: { en: 'The offer you came for.', 'zh-Hant': '您要找的優惠。' },
  },
] as const;

export const AUDIENCES = [
  { id: 'developers', name: 'Developers', condition: { role: 'developer' } },
  { id: 'spring', name: 'Spring campaign', condition: { utmCampaign: 'spring-sale' } },
] as const;

/** HTML a compromised admin could publish: none of the script may run. */
export const HOSTILE_HTML =
  '<strong>Spring</strong> sale<img src="x" onerror="window.__xss=1"><script>window.__xss=2</script>' +
  '<a href="javascript:window.__xss=3">terms</a><iframe srcdoc="<script>parent.__xss=4</script>"></iframe>';

export const EXPERIENCES = [
  {
    id: 'hero-dev',
    name: 'Hero for developers',
    kind: 'personalization',
    audiences: ['developers'],
    variants: [
      {
        id: 'dev',
        name: 'Developer hero',
        content: { hero: { type: 'text', text: { en: 'Build faster', 'zh-Hant': '更快開發' } } },
      },
    ],
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: 'hero-dev',
    goals: ['signup'],
  },
  {
    id: 'promo-spring',
    name: 'Spring promo',
    kind: 'personalization',
    audiences: ['spring'],
    variants: [
      {
        id: 'spring',
        name: 'Spring promo',
        content: { promo: { type: 'html', html: { en: HOSTILE_HTML, 'zh-Hant': '<strong>春季</strong>優惠' } } },
      },
    ],
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: 'promo-spring',
    goals: ['signup'],
  },
] as const;

export const METRICS = [{ id: 'signup', name: 'Signup', kind: 'proportion' }] as const;
