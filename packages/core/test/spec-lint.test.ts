/**
 * The lint section of Candor's language-neutral spec (`spec/lint.json`, described in `spec/README.md`):
 * every row's draft, merged into the file's base draft, must produce exactly the listed finding codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint, type LintCode, type LintDraft } from '../src/lint/lint.js';

type Entity = Readonly<Record<string, unknown>>;
type PartialDraft = Partial<
  Record<'purposes' | 'fields' | 'audiences' | 'experiences' | 'metrics' | 'placements', Entity[]>
> & {
  savedGroups?: Record<string, unknown[]>;
};
interface LintSpec {
  specVersion: string;
  base: LintDraft;
  lint: [name: string, draft: PartialDraft, expectedCodesSorted: LintCode[]][];
}

const spec = JSON.parse(readFileSync(new URL('../../../spec/lint.json', import.meta.url), 'utf8')) as LintSpec;

const ARRAYS = ['purposes', 'fields', 'audiences', 'experiences', 'metrics', 'placements'] as const;

/** The README's merge rule: a row's entity replaces the base entity with the same id (a field's key), others are appended. */
function merge(base: LintDraft, row: PartialDraft): LintDraft {
  const merged: Record<string, unknown> = { ...base };
  for (const name of ARRAYS) {
    const more = row[name] ?? [];
    const idOf = (entity: Entity): unknown => (name === 'fields' ? entity['key'] : entity['id']);
    const replaced = new Set(more.map(idOf));
    merged[name] = [
      ...((base[name] ?? []) as unknown as readonly Entity[]).filter((entity) => !replaced.has(idOf(entity))),
      ...more,
    ];
  }
  if (row.savedGroups !== undefined) merged['savedGroups'] = { ...base.savedGroups, ...row.savedGroups };
  return merged as unknown as LintDraft;
}

describe(`spec/lint.json (spec ${spec.specVersion})`, () => {
  it('has sorted expectations, so a row reads the same in every language', () => {
    for (const [name, , expected] of spec.lint) expect([...expected].sort(), name).toEqual(expected);
  });

  it.each(spec.lint)('%s', (_name, draft, expected) => {
    const codes = lint(merge(spec.base, draft)).map((finding) => finding.code);
    expect(codes.sort()).toEqual(expected);
  });
});
