import { describe, expect, it, vi } from 'vitest';
import { ParleyError, limits } from '../../src/protocol/index.js';
import { Emitter } from '../../src/transport/emitter.js';
import { endpoints } from '../../src/transport/endpoints.js';
import { randomId } from '../../src/transport/ids.js';
import { Outbox } from '../../src/transport/outbox.js';
import { anyRoleCodec, visitorCodec } from '../../src/transport/codecs.js';
import { checkedFrame, utf8Length } from '../../src/transport/wire.js';

describe('endpoints', () => {
  it('derives ws and http endpoints and adds the widget id to each', () => {
    expect(endpoints('http://127.0.0.1:8787', 'w 1')).toEqual({
      websocket: 'ws://127.0.0.1:8787/v1/ws?widget=w+1',
      stream: 'http://127.0.0.1:8787/v1/stream?widget=w+1',
      frames: 'http://127.0.0.1:8787/v1/frames?widget=w+1',
      health: 'http://127.0.0.1:8787/healthz',
    });
    expect(endpoints('https://chat.example.com/prefix/').websocket).toBe('wss://chat.example.com/prefix/v1/ws');
  });
});

describe('randomId', () => {
  it('makes protocol-valid, distinct ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId('m')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^m_[0-9a-z]{18,24}$/);
  });
});

describe('wire checks', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('héllo')).toBe(6);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });

  it('refuses invalid and oversized frames with the code the server would use', () => {
    expect(() => checkedFrame(anyRoleCodec, { type: 'message.send', clientId: 'm_1', body: '  ' })).toThrow(
      ParleyError,
    );
    const tooLarge = { type: 'visitor.update', ref: 'r1', custom: {} as Record<string, string> } as const;
    for (let key = 0; key < 50; key++) tooLarge.custom[`k${key}`] = '€'.repeat(500);
    expect(utf8Length(JSON.stringify(tooLarge))).toBeGreaterThan(limits.maxFrameBytes);
    try {
      checkedFrame(visitorCodec, tooLarge);
      expect.unreachable();
    } catch (error) {
      expect((error as ParleyError).code).toBe('too_large');
    }
    expect(checkedFrame(visitorCodec, { type: 'typing', typing: true, extra: 1 } as never)).toEqual({
      type: 'typing',
      typing: true,
    });
  });

  it("keeps a visitor's client to the visitor's frames, in both directions", () => {
    const take = { type: 'conversation.take', ref: 'r1', conversationId: 'c1' } as const;
    expect(checkedFrame(anyRoleCodec, take)).toEqual(take);
    expect(() => checkedFrame(visitorCodec, take)).toThrow(expect.objectContaining({ code: 'unknown_type' }));
    const queue = JSON.stringify({ type: 'queue', items: [] });
    expect(anyRoleCodec.decode(queue).ok).toBe(true);
    expect(visitorCodec.decode(queue)).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(visitorCodec.decode(JSON.stringify({ type: 'pong' }))).toEqual({ ok: true, frame: { type: 'pong' } });
  });
});

describe('Emitter', () => {
  it('keeps calling handlers after one throws and logs the error', () => {
    const events = new Emitter<{ tick: number }>();
    const seen: number[] = [];
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    events.on('tick', () => {
      throw new Error('boom');
    });
    const stop = events.on('tick', (n) => seen.push(n));
    events.emit('tick', 1);
    stop();
    events.emit('tick', 2);
    expect(seen).toEqual([1]);
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  });
});

describe('Outbox', () => {
  it('settles each entry once, keeps first-sent order, and shares the promise of a repeated id', async () => {
    const outbox = new Outbox();
    const first = outbox.add({ type: 'message.send', clientId: 'm_1', body: 'one' });
    const request = outbox.add({ type: 'conversation.end', ref: 'r_1' });
    const again = outbox.add({ type: 'message.send', clientId: 'm_1', body: 'one' });
    expect(again).toBe(first);
    expect(outbox.frames().map((frame) => frame.type)).toEqual(['message.send', 'conversation.end']);
    expect(outbox.messages()).toEqual([{ clientId: 'm_1', body: 'one' }]);
    const ack = { type: 'message.ack', clientId: 'm_1', conversationId: 'c1', seq: 1, id: 'x', at: 1 } as const;
    expect(outbox.settle(ack)).toBe(true);
    expect(outbox.settle(ack)).toBe(false);
    await expect(first).resolves.toEqual(ack);
    expect(outbox.fail({ ref: 'r_1' }, new ParleyError('forbidden'))).toBe(true);
    await expect(request).rejects.toMatchObject({ code: 'forbidden' });
    expect(outbox.frames()).toEqual([]);
  });
});
