import type { Snapshot } from '@candor/core';
import type { AppContext } from '../../context.js';
import { analysisOf, experienceResults } from './service.js';

/** What one rollup run did: experiences whose default results page it warmed, and those it left. */
export interface SeriesRollupRun {
  readonly warmed: number;
  readonly skipped: readonly { readonly experienceId: string; readonly reason: string }[];
}

/**
 * Computes every live experience's default results page (its first goal, real data) once, so the
 * analysis of each day that has closed since is stored before anyone opens the page. A page
 * opened later then analyses only today. Experiences under differential privacy are left alone:
 * their series is their releases, and computing a page may spend a release's ε.
 */
export async function runSeriesRollups(context: AppContext): Promise<SeriesRollupRun> {
  let warmed = 0;
  const skipped: { experienceId: string; reason: string }[] = [];
  for (const site of await context.storage.listSites()) {
    const latest = await context.storage.latestSnapshot(site.id);
    if (latest === undefined) continue;
    const snapshot = JSON.parse(latest.body) as Snapshot;
    for (const experience of snapshot.experiences) {
      if (experience.goals.length === 0) {
        skipped.push({ experienceId: experience.id, reason: 'no goal' });
        continue;
      }
      if (analysisOf(experience).differentialPrivacy !== undefined) {
        skipped.push({ experienceId: experience.id, reason: 'differential privacy' });
        continue;
      }
      await experienceResults(context, site, experience.id, {}, context.noiseRandom);
      warmed += 1;
    }
  }
  return { warmed, skipped };
}
