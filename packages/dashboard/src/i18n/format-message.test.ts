import { describe, expect, it } from 'vitest';
import { formatMessage, formatPercent, formatTime } from './format-message.js';

describe('formatMessage', () => {
  it('fills named placeholders', () => {
    expect(formatMessage('Publish v{version} of {site}', { version: 3, site: 'shop' })).toBe('Publish v3 of shop');
  });
  it('leaves an unknown placeholder visible', () => {
    expect(formatMessage('Hello {name}', {})).toBe('Hello {name}');
  });
});

describe('formatTime and formatPercent', () => {
  it('formats in the UI language and the given zone', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4), 'en', 'UTC')).toBe('Jan 2, 2026, 3:04 AM');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4), 'zh-Hant', 'UTC')).toContain('2026');
  });
  it('formats shares as percentages', () => {
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(formatPercent(0.1, 'zh-Hant')).toBe('10%');
  });
});
