import type { Purpose, PurposeChoice } from '../types.js';

/**
 * The purposes a visitor must be asked about again because the site changed what it asks: a purpose
 * with no answer yet (added after the choice), or whose text version differs from the one the answer
 * was given to. Essential and contextual purposes need no answer, so they are never asked.
 *
 * An answer without a version (stored before versions existed) counts as answering the current
 * text, and so does a purpose published without a version: a change nobody can see is never asked.
 * Before any choice (`undefined`) nothing is re-asked: the first prompt asks everything.
 *
 * @example purposesToAsk(snapshot.purposes, stored.purposes) // → [the purpose whose text changed]
 */
export function purposesToAsk(
  purposes: readonly Purpose[],
  answers: Readonly<Record<string, PurposeChoice>> | undefined,
): Purpose[] {
  if (answers === undefined) return [];
  return purposes.filter((purpose) => {
    if (purpose.class === 'essential' || purpose.class === 'contextual') return false;
    const answer = Object.hasOwn(answers, purpose.id) ? answers[purpose.id] : undefined;
    if (answer === undefined) return true;
    return answer.textVersion !== undefined && purpose.textVersion !== undefined
      ? answer.textVersion !== purpose.textVersion
      : false;
  });
}
