import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { convertHtml, WRAPPED_TEXT } from '../../../shared/use-cases/html-text';

const library = createRequire(import.meta.url)('html-to-text') as typeof import('html-to-text');

describe('convertHtml', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('compiles each options object once and converts exactly as html-to-text’s convert does', () => {
    // Prepare
    const compile = vi.spyOn(library, 'compile');
    const options = { wordwrap: false as const, selectors: [{ selector: 'img', format: 'skip' }] };
    const other = { wordwrap: 40 };
    const pages = [
      '<h1>Sale</h1><p>Up to <b>50%</b> off <img src="x.png"></p>',
      '<p>سلام <a href="https://x.test">x</a></p>',
    ];

    // Act
    const first = pages.map((page) => convertHtml(page, options));
    const again = pages.map((page) => convertHtml(page, options));
    const wrapped = convertHtml(pages[0] as string, other);

    // Assess
    expect(compile).toHaveBeenCalledTimes(2);
    expect(first).toEqual(pages.map((page) => library.convert(page, options)));
    expect(again).toEqual(first);
    expect(wrapped).toBe(library.convert(pages[0] as string, other));
  });

  it('wraps a message’s text part at 78 columns', () => {
    const text = convertHtml(`<p>${'word '.repeat(40)}</p>`, WRAPPED_TEXT);
    expect(text.split('\n').every((line) => line.length <= 78)).toBe(true);
    expect(text.split('\n').length).toBeGreaterThan(1);
  });
});
