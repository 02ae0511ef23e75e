/** The server's endpoint addresses, derived from its origin. */

export interface Endpoints {
  /** `ws(s)://host/v1/ws` */
  websocket: string;
  /** `http(s)://host/v1/stream`: the server-sent events downstream of the HTTP fallback. */
  stream: string;
  /** `http(s)://host/v1/frames`: the POST upstream of the HTTP fallback. */
  frames: string;
  /** `http(s)://host/healthz`: probed to tell a blocked WebSocket from a server that is down. */
  health: string;
}

/**
 * Builds the v1 endpoint URLs from the server's origin (a path prefix is kept). Visitors add
 * `?widget=<id>` to every endpoint because the server checks the page's origin against that
 * widget's allow-list before anything else.
 *
 * @example
 * endpoints('https://chat.example.com', 'w1').websocket; // "wss://chat.example.com/v1/ws?widget=w1"
 */
export function endpoints(origin: string, widgetId?: string): Endpoints {
  const base = new URL(origin);
  const secure = base.protocol === 'https:' || base.protocol === 'wss:';
  const path = base.pathname.replace(/\/+$/, '');
  const query = widgetId === undefined ? '' : `?${new URLSearchParams({ widget: widgetId }).toString()}`;
  const http = `${secure ? 'https' : 'http'}://${base.host}${path}/v1`;
  const ws = `${secure ? 'wss' : 'ws'}://${base.host}${path}/v1`;
  return {
    websocket: `${ws}/ws${query}`,
    stream: `${http}/stream${query}`,
    frames: `${http}/frames${query}`,
    health: `${secure ? 'https' : 'http'}://${base.host}${path}/healthz`,
  };
}
