import type { ExplanationMessages } from './catalog.js';

const alt = (alternative: 'standard' | 'other'): string =>
  alternative === 'standard' ? 'the standard version' : 'a different version';

/** English explanation texts. */
export const en: ExplanationMessages = {
  title: 'Why am I seeing this?',
  standardVersion: 'the standard version',
  fact: {
    told: ({ label, value }) => `your ${label} is ${value}`,
    seen: ({ label, value }) => `${label}: ${value}`,
  },
  reason: {
    declared: ({ facts }) => `You're seeing this because you told us ${facts}.`,
    behavioural: ({ facts }) => `You're seeing this because of your activity on this site (${facts}).`,
    inferred: ({ facts }) => `You're seeing this because this site inferred from your activity here that ${facts}.`,
    contextual: ({ facts }) => `You're seeing this because of this visit (${facts}). Nothing is stored about you.`,
    everyone: 'Everyone sees this version. Nothing about you was used to choose it.',
    split:
      "This version was picked at random as part of a test, so we can learn what works better. It doesn't depend on who you are.",
    bandit:
      'This version is performing best for visitors like you so far, so more visitors see it. Which version you get is still partly random.',
    holdout:
      "You're seeing the standard version because you're in a small random group that doesn't get personalized content, so we can check that personalizing actually helps.",
    none: "You're seeing the standard version. Nothing about you was used to choose it.",
    off: {
      not_allowed: "You're seeing the standard version because you haven't allowed personalization.",
      gpc: "You're seeing the standard version because your browser's Global Privacy Control signal is honoured.",
      dnt: "You're seeing the standard version because your browser's Do Not Track signal is honoured.",
      objection: "You're seeing the standard version because you asked us to stop personalizing for you.",
    },
    error: "Personalization is unavailable right now, so you're seeing the standard version.",
  },
  mattered: ({ label }) => `Of the information used, your ${label} mattered most.`,
  counterfactual: {
    removeAnswer: ({ label, alternative }) =>
      `If you remove what you told us about your ${label}, you'll see ${alt(alternative)}.`,
    deleteData: ({ label, alternative }) => `If you delete your ${label} data, you'll see ${alt(alternative)}.`,
    otherVisit: ({ label, alternative }) => `On a visit with a different ${label}, you'd see ${alt(alternative)}.`,
    otherGroup: ({ alternative }) => `Visitors in the other group of the test see ${alt(alternative)}.`,
    holdout: 'Most visitors in the same situation see a personalized version.',
    allowPersonalization: 'If you allow personalization, you may see content chosen for you.',
    nothing: 'Nothing you share or change would alter this.',
  },
  signal: ({ label, value, source, when, purpose, until }) =>
    `${label}: ${value}. ${en.source[source]}${when ? ` on ${when}` : ''}, ${en.origin}. Used for ${purpose}${
      until ? `, kept until ${until}` : ''
    }.`,
  source: {
    declared: 'You told us',
    observed: 'Seen on this site',
    context: 'From this visit (page, language or device)',
    inferred: 'Inferred from your activity on this site',
  },
  origin: 'this site only',
  excluded: {
    sensitive: 'Sensitive information (such as health, religion, political views or precise location) is never used.',
    gpc: 'Opt-Out Preference Signal Honored: no data from other sites and no profiling for marketing.',
    dnt: 'Do Not Track honoured: no data from other sites and no profiling for marketing.',
    ungranted: ({ purposes }) => `Data for ${purposes} was not used, because you haven't allowed it.`,
    notMeasured: "This visit isn't counted in test results, because you haven't allowed measurement.",
    noOtherSites: 'Nothing from other websites was used.',
  },
  controls: {
    edit_answer: 'Edit my answer',
    stop_using: "Don't use this for personalization",
    withdraw_consent: 'Withdraw consent',
    see_all_data: 'See all my data',
    download: 'Download my data',
    delete: 'Delete my data',
    see_standard: 'See the standard version',
  },
  decidedBy: ({ site, purpose, basis }) => `Decided by ${site} for ${purpose} (legal basis: ${basis}).`,
  legalBasis: {
    consent: 'your consent',
    legitimate_interest: 'legitimate interest, which you can object to',
    contract: 'a contract with you',
    legal_obligation: 'a legal obligation',
  },
  proof: ({ record, policy }) => `Consent record ${record}, privacy policy version ${policy}.`,
  yes: 'yes',
  no: 'no',
  notProvided: 'not provided',
};
