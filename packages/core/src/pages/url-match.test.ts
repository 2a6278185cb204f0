import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLinearRegexSteps } from '../targeting/linear-regex.js';
import { compileUrlMatch, matchUrl, pathPatternSource } from './url-match.js';

const segment = fc.stringMatching(/^[a-z0-9._~-]{1,8}$/);
const path = fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const query = fc.option(fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/), { nil: undefined });

describe('matchUrl: path patterns', () => {
  it('a literal pattern matches exactly its path, whatever the query or fragment', () => {
    fc.assert(
      fc.property(path, path, query, (pattern, url, q) => {
        const full = q === undefined ? url : `${url}?${q}#top`;
        expect(matchUrl([{ type: 'path', pattern }], full)).toBe(pattern === url);
      }),
    );
  });

  it('`*` matches within one segment and `**` across segments', () => {
    fc.assert(
      fc.property(path, segment, path, (prefix, middle, rest) => {
        const base = prefix === '/' ? '' : prefix;
        expect(matchUrl([{ type: 'path', pattern: `${base}/*` }], `${base}/${middle}`)).toBe(true);
        expect(matchUrl([{ type: 'path', pattern: `${base}/**` }], `${base}/${middle}${rest}`)).toBe(true);
        const deeper = `${base}/${middle}/x`;
        expect(matchUrl([{ type: 'path', pattern: `${base}/*` }], deeper)).toBe(false);
      }),
    );
  });

  it('regex metacharacters in a path pattern are literal', () => {
    expect(matchUrl([{ type: 'path', pattern: '/a.b' }], '/a.b')).toBe(true);
    expect(matchUrl([{ type: 'path', pattern: '/a.b' }], '/axb')).toBe(false);
    expect(matchUrl([{ type: 'path', pattern: '/(x)+' }], '/(x)+')).toBe(true);
    expect(pathPatternSource('/blog/**/*.html')).toBe('^\\/blog\\/.*\\/[^/]*\\.html$');
  });

  it('no pages means every page; several mean any of them', () => {
    fc.assert(fc.property(path, (url) => matchUrl(undefined, url) && matchUrl([], url)));
    const pages = [
      { type: 'path', pattern: '/pricing' },
      { type: 'path', pattern: '/plans/*' },
    ] as const;
    expect(matchUrl(pages, '/plans/pro')).toBe(true);
    expect(matchUrl(pages, '/about')).toBe(false);
  });
});

describe('matchUrl: regex patterns', () => {
  it('test the path plus query on the linear matcher', () => {
    const match = compileUrlMatch({ type: 'regex', pattern: '^/pricing\\?.*plan=pro' });
    expect(match('/pricing?plan=pro')).toBe(true);
    expect(match('/pricing?plan=free')).toBe(false);
    expect(match('/pricing#?plan=pro')).toBe(false);
  });

  it('agree with RegExp on simple patterns', () => {
    const pattern = fc.constantFrom('^/a', 'b$', '/(a|b)+/', '^/[a-z]+\\d?$', 'x');
    fc.assert(
      fc.property(pattern, fc.stringMatching(/^\/[abx/0-9]{0,10}$/), (source, url) => {
        expect(compileUrlMatch({ type: 'regex', pattern: source })(url)).toBe(new RegExp(source).test(url));
      }),
    );
  });

  it('a catastrophic pattern stays linear, and a refused one never matches', () => {
    const hostile = '(a|aa)+$';
    const input = `/${'a'.repeat(2000)}!`;
    expect(compileUrlMatch({ type: 'regex', pattern: hostile })(input)).toBe(false);
    expect(countLinearRegexSteps(hostile, input)).toBeLessThan(input.length * 40);
    expect(compileUrlMatch({ type: 'regex', pattern: '(a)\\1' })('/aa')).toBe(false);
  });
});
