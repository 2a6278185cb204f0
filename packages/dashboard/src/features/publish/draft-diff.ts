/** The entity lists a draft and a snapshot share. */
export const DIFF_KINDS = ['purposes', 'fields', 'audiences', 'experiences', 'metrics', 'placements'] as const;

/** One entity kind's list name. */
export type DiffKind = (typeof DIFF_KINDS)[number];

/** One entity that differs between the live snapshot and the draft. */
export interface EntityChange {
  readonly kind: DiffKind;
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Top-level properties that differ (for `changed`). */
  readonly properties: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

type Side = { readonly [K in DiffKind]?: readonly unknown[] | undefined };

/** What publishing the draft would change in the live snapshot, entity by entity, in a stable order. */
export function diffDraft(live: Side | undefined, draft: Side): EntityChange[] {
  const changes: EntityChange[] = [];
  for (const kind of DIFF_KINDS) {
    const before = byId(live?.[kind] ?? []);
    const after = byId(draft[kind] ?? []);
    for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const a = before.get(id);
      const b = after.get(id);
      if (a === undefined) changes.push({ kind, id, change: 'added', properties: [], before: null, after: b });
      else if (b === undefined) changes.push({ kind, id, change: 'removed', properties: [], before: a, after: null });
      else {
        const properties = changedProperties(a, b);
        if (properties.length > 0) changes.push({ kind, id, change: 'changed', properties, before: a, after: b });
      }
    }
  }
  return changes;
}

function byId(list: readonly unknown[]): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    const id = record['id'] ?? record['key'];
    if (typeof id === 'string') map.set(id, record);
  }
  return map;
}

function changedProperties(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => stableJson(a[key]) !== stableJson(b[key]))
    .sort();
}

/** JSON with object keys sorted, so key order never shows up as a change. */
export function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'object' && inner !== null && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : inner,
    ) ?? 'undefined'
  );
}
