import { describe, expect, it } from 'vitest';
import { splitLinks } from '../../src/protocol/index.js';

describe('splitLinks', () => {
  it('links http(s) addresses only, leaving sentence punctuation and other schemes as text', () => {
    expect(splitLinks('See https://example.com/docs. Or (http://a.test/x) and javascript:alert(1)')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/docs', link: true },
      { text: '. Or (' },
      { text: 'http://a.test/x', link: true },
      { text: ') and javascript:alert(1)' },
    ]);
  });

  it('keeps a closing parenthesis that the address opened, and markup as text', () => {
    expect(splitLinks('https://en.wikipedia.org/wiki/Foo_(bar) <b>hi</b>')).toEqual([
      { text: '' },
      { text: 'https://en.wikipedia.org/wiki/Foo_(bar)', link: true },
      { text: ' <b>hi</b>' },
    ]);
  });
});
