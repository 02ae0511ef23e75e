import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeCodes, errorCodes } from '../../src/protocol/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the README's error table: code, close code, meaning. */
function errorTable(): { code: string; close: string; meaning: string }[] {
  const section = readme.slice(readme.indexOf('### Error codes'));
  return section
    .split('\n')
    .filter((line) => /^\| `\w+` \|/.test(line))
    .map((line) => {
      const [code = '', close = '', meaning = ''] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { code: code.replaceAll('`', ''), close, meaning };
    });
}

describe('README', () => {
  it('shows the snippet exactly as the build writes it', () => {
    const built = readFileSync(new URL('../../dist/snippet/snippet.js', import.meta.url), 'utf8').trim();
    expect(readme).toContain(`data-server="https://chat.example.com">${built}</script>`);
  });

  it('documents every error code, with its close code and meaning, and nothing else', () => {
    const rows = errorTable();
    expect(rows.map((row) => row.code)).toEqual(Object.keys(errorCodes));
    for (const row of rows) {
      const close = closeCodes[row.code as keyof typeof closeCodes];
      expect(row.close, row.code).toBe(close === undefined ? '' : String(close));
      // The README may add specifics in parentheses; the meaning itself must match the code table.
      const plain = (text: string) => text.replace(/ \([^)]*\)/g, '');
      expect(plain(row.meaning), row.code).toBe(plain(errorCodes[row.code as keyof typeof errorCodes]));
    }
  });

  it('gives exactly the two set-up commands', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## The server'));
    const commands = [...quickStart.matchAll(/```sh\n([^`]+)```/g)].map((match) => match[1]!.trim());
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
  });
});
