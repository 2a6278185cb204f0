import type { Purpose } from '../types.js';

/**
 * Whether a visitor is measured: one of the site's measurement-class purposes is granted. The one
 * rule decide (enrolment), explain ("is this visit counted?") and the SDK (whether to report) share.
 */
export function measurementGranted(
  purposes: readonly Pick<Purpose, 'id' | 'class'>[],
  granted: (purposeId: string) => boolean,
): boolean {
  return purposes.some((purpose) => purpose.class === 'measurement' && granted(purpose.id));
}
