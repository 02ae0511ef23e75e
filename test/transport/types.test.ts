// Compile-time checks (run by `tsc -p tsconfig.test.json`, which has both DOM and Node types):
// both WebSocket classes and the global fetch fit the client's minimal interfaces, and replies
// are typed by request.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { ServerFrameOf } from '../../src/protocol/index.js';
import type {
  FetchLike,
  ParleyClient,
  ReplyTo,
  WebSocketConstructor,
  WebSocketLike,
} from '../../src/transport/index.js';

const fromWs: WebSocketConstructor = NodeWebSocket;
const fromBrowser: WebSocketConstructor | undefined = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
const fromFetch: FetchLike = fetch;

describe('public types', () => {
  it('accepts the ws and browser WebSocket classes and the global fetch', () => {
    expectTypeOf<InstanceType<typeof NodeWebSocket>>().toExtend<WebSocketLike>();
    expectTypeOf<WebSocket>().toExtend<WebSocketLike>();
    expect(typeof fromWs).toBe('function');
    expect(fromBrowser).toBeUndefined(); // Node 20 has no global WebSocket; the type check is the point
    expect(typeof fromFetch).toBe('function');
  });

  it('types each request by its reply', () => {
    expectTypeOf<ReplyTo<{ type: 'history'; conversationId: string; afterSeq: number }>>().toEqualTypeOf<
      ServerFrameOf<'history.result'>
    >();
    expectTypeOf<ReplyTo<{ type: 'conversation.end' }>>().toEqualTypeOf<ServerFrameOf<'ok'>>();
    expectTypeOf<ParleyClient['send']>().returns.resolves.toEqualTypeOf<ServerFrameOf<'message.ack'>>();
  });
});
