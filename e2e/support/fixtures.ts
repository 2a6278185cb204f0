import { HERO_EXPERIENCE, ROLE_FIELD, SIGNUP_METRIC } from '@candor/server/testing';

// The site the browser suite publishes through the real admin API: a declared field, a free-text
// field (for HTML-as-text checks), a contextual campaign field, and HTML content that must be sanitised.
export const FIELDS = [
  // The server suite's role field, with a lower-case label (it reads inside sentences) and a cooling-off.
  { ...ROLE_FIELD, label: { en: 'role', 'zh-Hant': '職務' }, coolingOffDays: 30 },
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
  // The server suite's developer hero, without a holdout so every matching visitor sees it.
  { ...HERO_EXPERIENCE, holdout: 0, goals: ['signup'] },
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

export const METRICS = [SIGNUP_METRIC] as const;
