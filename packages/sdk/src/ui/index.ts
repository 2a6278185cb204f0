import { createLedger } from '../consent/ledger.js';
import type { UiModule } from '../ui-contract.js';
import { renderBadges } from './badge.js';
import { explainSlot } from './explain-slot.js';
import { openPreferences } from './preferences.js';
import { showPrompt } from './prompt.js';
import { askField } from './question.js';
import { openWhy } from './why-popover.js';

/** The lazily loaded visitor UI: prompt, "Why?" popover, questions, preference center, badge. */
export const ui: UiModule = {
  showPrompt,
  openWhy,
  openPreferences,
  ask: (host, field, container) => askField(host, field, container),
  renderBadges,
  explain: explainSlot,
  createLedger,
};

export { badgeFacts } from './badge.js';
