import type { ExplanationMessages } from './catalog.js';

const alt = (alternative: 'standard' | 'other'): string =>
  alternative === 'standard' ? 'the standard version' : 'a different version';

const share = (small: boolean): string => (small ? 'a small share' : 'a share');
const HELD = ' Some visitors see the standard version, so we can measure the difference.';
// The claim that nothing about the visitor counted, made only when it is true.
const unused = (used: boolean, sentence = 'Nothing about you was used to choose it.'): string =>
  used ? '' : ` ${sentence}`;

/** English explanation texts. */
export const en: ExplanationMessages = {
  title: 'Why am I seeing this?',
  standardVersion: 'the standard version',
  fact: {
    told: ({ label, value }) => `your ${label} is ${value}`,
    seen: ({ label, value }) => `${label}: ${value}`,
  },
  reason: {
    because: {
      declared: ({ facts }) => `you told us ${facts}`,
      behavioural: ({ facts }) => `of your activity on this site (${facts})`,
      inferred: ({ facts }) => `this site inferred from your activity here that ${facts}`,
      contextual: ({ facts }) => `of this visit (${facts})`,
    },
    targeted: ({ because, source }) =>
      `You're seeing this because ${because}.${source === 'contextual' ? ' Nothing is stored about you.' : ''}`,
    everyone: ({ used }) => `Everyone sees this version.${unused(used)}`,
    split: ({ used, matched, holdout }) =>
      `${matched ? 'Among visitors who match, this' : 'This'} version was picked at random as part of a test, so we can learn what works better.${holdout ? HELD : ''}${unused(used || matched, "It doesn't depend on who you are.")}`,
    bandit: ({ holdout, matched, used }) =>
      `This version is performing best${matched ? ' for visitors like you' : ''} so far, so more visitors see it. Which version you get is still partly random.${holdout ? HELD : ''}${unused(used || matched, "It doesn't depend on who you are.")}`,
    measured: ({ matched, small }) =>
      `${small ? 'A small share' : 'A share'} of visitors${matched ? ' who match' : ''}, picked at random, see the standard version instead, so we can measure whether this helps.`,
    holdout: ({ because, small }) =>
      `${because === null ? '' : `Content here is chosen for visitors like you, because ${because}. `}You're seeing the standard version because you're in ${share(small)} of ${because === null ? '' : 'those '}visitors, picked at random, so we can measure whether personalizing helps.`,
    none: ({ used }) => `You're seeing the standard version.${unused(used)}`,
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
    holdout: 'Other visitors in the same situation see a personalized version.',
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
  join: (sentences) => sentences.join(' '),
  yes: 'yes',
  no: 'no',
  notProvided: 'not provided',
};
