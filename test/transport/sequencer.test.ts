import { describe, expect, it } from 'vitest';
import type { SequencedFrame } from '../../src/protocol/index.js';
import { Sequencer } from '../../src/transport/sequencer.js';

function message(conversationId: string, seq: number): SequencedFrame {
  return { type: 'message', conversationId, seq, at: seq, id: `m${seq}`, author: { role: 'agent' }, body: `#${seq}` };
}

function harness(resume: { conversationId: string; seq: number }[] = []) {
  const delivered: string[] = [];
  const fetches: [string, number][] = [];
  const sequencer = new Sequencer(
    {
      deliver: (frame) => delivered.push(`${frame.conversationId}:${frame.seq}`),
      fetch: (conversationId, afterSeq) => fetches.push([conversationId, afterSeq]),
    },
    resume,
  );
  return { sequencer, delivered, fetches };
}

describe('Sequencer', () => {
  it('delivers in order and drops duplicates', () => {
    const { sequencer, delivered, fetches } = harness();
    for (const seq of [1, 2, 2, 1, 3]) sequencer.accept(message('c1', seq));
    expect(delivered).toEqual(['c1:1', 'c1:2', 'c1:3']);
    expect(fetches).toEqual([]);
  });

  it('holds frames after a gap, fetches the range once, then drains in order', () => {
    const { sequencer, delivered, fetches } = harness();
    sequencer.accept(message('c1', 1));
    sequencer.accept(message('c1', 4));
    sequencer.accept(message('c1', 5));
    sequencer.accept(message('c1', 4));
    expect(delivered).toEqual(['c1:1']);
    expect(fetches).toEqual([['c1', 1]]);
    sequencer.page('c1', [message('c1', 2), message('c1', 3), message('c1', 4)], true);
    expect(delivered).toEqual(['c1:1', 'c1:2', 'c1:3', 'c1:4', 'c1:5']);
    // "more" was true and progress was made: the next page is asked from the new position.
    expect(fetches).toEqual([
      ['c1', 1],
      ['c1', 5],
    ]);
    sequencer.page('c1', [], false);
    expect(fetches).toHaveLength(2);
    expect(sequencer.points()).toEqual([{ conversationId: 'c1', seq: 5 }]);
  });

  it('keeps conversations apart and seeds from resume points', () => {
    const { sequencer, delivered, fetches } = harness([{ conversationId: 'c2', seq: 7 }]);
    sequencer.accept(message('c2', 7));
    sequencer.accept(message('c2', 8));
    sequencer.accept(message('c1', 1));
    expect(delivered).toEqual(['c2:8', 'c1:1']);
    expect(fetches).toEqual([]);
    expect(sequencer.points()).toEqual([
      { conversationId: 'c2', seq: 8 },
      { conversationId: 'c1', seq: 1 },
    ]);
  });

  it('fetches up to a reload target page by page', () => {
    const { sequencer, delivered, fetches } = harness([{ conversationId: 'c1', seq: 2 }]);
    sequencer.reload('c1', 6);
    expect(fetches).toEqual([['c1', 2]]);
    sequencer.page('c1', [message('c1', 3), message('c1', 4)], true);
    sequencer.page('c1', [message('c1', 5), message('c1', 6)], false);
    expect(delivered).toEqual(['c1:3', 'c1:4', 'c1:5', 'c1:6']);
    expect(fetches).toEqual([
      ['c1', 2],
      ['c1', 4],
    ]);
  });

  it('asks again after a failed or cancelled fill, and stops when a page brings nothing new', () => {
    const { sequencer, fetches } = harness();
    sequencer.accept(message('c1', 3));
    sequencer.fillFailed('c1');
    sequencer.accept(message('c1', 4));
    sequencer.cancelFills();
    sequencer.accept(message('c1', 5));
    expect(fetches).toEqual([
      ['c1', 0],
      ['c1', 0],
      ['c1', 0],
    ]);
    sequencer.page('c1', [], true);
    expect(fetches).toHaveLength(3);
  });

  it('keeps only the most recently active resume points', () => {
    const { sequencer } = harness();
    for (let index = 0; index < 510; index++) sequencer.accept(message(`c${index}`, 1));
    sequencer.accept(message('c0', 2));
    const points = sequencer.points();
    expect(points).toHaveLength(500);
    expect(points.at(-1)).toEqual({ conversationId: 'c0', seq: 2 });
    expect(points.some((point) => point.conversationId === 'c1')).toBe(false);
  });
});
