import { describe, expect, it } from 'vitest';
import {
  closeCodes,
  errorCodes,
  errorCodeList,
  finalCloseCodes,
  ParleyError,
  serverFrameSchemas,
} from '../../src/protocol/index.js';
import { node } from './support.js';

/** Close codes defined by RFC 6455 rather than by Parley. */
const standardCloseCodes = { going_away: 1001, too_large: 1009, internal: 1011 };

describe('close codes', () => {
  it('are unique', () => {
    const values = Object.values(closeCodes);
    expect(new Set(values).size).toBe(values.length);
  });

  it('keep the standard WebSocket codes at their RFC 6455 values', () => {
    expect(closeCodes).toMatchObject(standardCloseCodes);
  });

  it('put every Parley code in the application range 4000-4999', () => {
    for (const [name, code] of Object.entries(closeCodes)) {
      if (Object.hasOwn(standardCloseCodes, name)) continue;
      expect(code, name).toBeGreaterThanOrEqual(4000);
      expect(code, name).toBeLessThanOrEqual(4999);
    }
  });

  it('list only known close codes as final', () => {
    const known = new Set<number>(Object.values(closeCodes));
    expect(finalCloseCodes.size).toBeGreaterThan(0);
    for (const code of finalCloseCodes) expect(known.has(code), String(code)).toBe(true);
  });

  it('never make a transient condition final', () => {
    for (const name of ['going_away', 'internal', 'hello_timeout', 'rate_limited'] as const)
      expect(finalCloseCodes.has(closeCodes[name]), name).toBe(false);
  });

  it('name an error code for every non-standard close code', () => {
    for (const name of Object.keys(closeCodes)) {
      if (Object.hasOwn(standardCloseCodes, name)) continue;
      expect(Object.keys(errorCodes), name).toContain(name);
    }
  });
});

describe('error codes', () => {
  it('are exactly the codes an error frame may carry', () => {
    const code = node(node(serverFrameSchemas.error).entries!.code);
    expect([...(code.options as string[])].sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it('are snake_case and have a one-line description', () => {
    for (const [code, description] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(description.length).toBeGreaterThan(0);
      expect(description).not.toContain('\n');
    }
  });

  it('are listed once each, in the list browser bundles carry and in the described table', () => {
    expect(new Set(errorCodeList).size).toBe(errorCodeList.length);
    expect([...errorCodeList].sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it('give ParleyError its code and, by default, the code as message', () => {
    for (const code of errorCodeList) {
      const error = new ParleyError(code);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('ParleyError');
      expect(error.code).toBe(code);
      expect(error.message).toBe(code);
    }
    expect(new ParleyError('not_found', 'no such widget').message).toBe('no such widget');
  });
});
