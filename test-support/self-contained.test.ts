import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The rules the code enforces are stated in the repository's own docs (docs/privacy.md,
// docs/architecture.md). A document kept outside the repository can be neither read by a contributor
// nor checked against the code, so no source file may cite one. The pattern is written so that this
// file does not match it itself.
const OUTSIDE_DOCUMENT = /PRIVACY(?:\.md|-REFERENCE)|(?:DESIGN|STYLE)\.md/;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['packages', 'e2e', 'bench', 'spec', 'examples', 'test-support'];
const SOURCE_FILE = /\.(?:ts|tsx|js|mjs|json)$/;
// Installed dependencies, build output and test artefacts are not the project's source.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'artifacts', 'coverage', '.cache']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return entry.isFile() && SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}

/** Every `path:line` in the given files whose text cites a document outside the repository. */
function outsideCitations(root: string, files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (OUTSIDE_DOCUMENT.test(line) ? [`${relative(root, file)}:${index + 1}`] : [])),
  );
}

describe('the project stands on its own', () => {
  it('recognises a citation of an outside document, and not of its own docs', () => {
    const cited = ['PRIVACY', 'md §3'].join('.');
    expect(OUTSIDE_DOCUMENT.test(`see ${cited}`)).toBe(true);
    expect(OUTSIDE_DOCUMENT.test(['see STYLE', 'md habit 6'].join('.'))).toBe(true);
    expect(OUTSIDE_DOCUMENT.test('see docs/privacy.md §3 and docs/architecture.md code habit 6')).toBe(false);
  });

  it('no source file cites a document outside the repository', () => {
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    // Guard against a walk that silently finds nothing (a moved root would pass vacuously).
    expect(files.length).toBeGreaterThan(100);
    // On failure: cite the section of docs/privacy.md or docs/architecture.md that states the rule,
    // adding the rule there in the project's own words if it is missing.
    expect(outsideCitations(ROOT, files)).toEqual([]);
  });
});
