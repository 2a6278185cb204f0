import type { Decision } from '../decide/decision.js';
import { redirectedBy } from '../pages/redirect-marker.js';
import type { DecisionContext, Language } from '../types.js';

// Kept out of the main catalog: the browser's lazy UI chunk has a fixed byte budget, and the head
// (which follows the redirect) already carries the marker check, so it lends this to the UI.
const SENT: Readonly<Record<Language, string>> = {
  en: 'You were sent to this page from the one you opened, as part of a test.',
  'zh-Hant': '作為一項測試的一部分，您從開啟的頁面被轉送到此頁面。',
};

/**
 * The sentence a split-URL test's landing page puts before its reason, or null. Only when the
 * page's URL carries this experience's marker and the decision itself is the redirect: a marker
 * copied into a link, for a visitor whose own decision differs, claims nothing.
 */
export function landingSentence(decision: Decision, context: DecisionContext, language: Language): string | null {
  const redirecting = decision.variant?.content.type === 'redirect';
  const url = context.url;
  return redirecting && url !== undefined && redirectedBy(url) === decision.experienceId ? SENT[language] : null;
}
