import type { Namespace } from '../types.js';
import { hash } from './hash.js';

/**
 * Whether the visitor `id` falls in the namespace's [start, end) slice. Experiences sharing a
 * namespace with disjoint slices never enrol the same visitor (mutual exclusion).
 */
export function inNamespace(id: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, id, 1);
  if (n === null) return false;
  return n >= namespace[1] && n < namespace[2];
}
