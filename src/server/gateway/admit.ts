/** Admission at hello, for both transports: a valid token, for this widget, from an allowed origin. */
import type { IncomingHttpHeaders } from 'node:http';
import { ParleyError, type ClientFrameOf } from '../../protocol/index.js';
import type { OriginPolicy } from '../http/origin.js';
import type { Principal, Services } from '../services/index.js';

export interface Admission {
  origin: string | undefined;
  headers: IncomingHttpHeaders;
  /** The `?widget=` a visitor's page connected with, if any. */
  widgetId: string | undefined;
}

export async function admit(
  services: Services,
  origins: OriginPolicy,
  hello: { token: string; role?: ClientFrameOf<'hello'>['role'] },
  request: Admission,
): Promise<Principal> {
  const principal = await services.sessions.authenticate(hello.token, hello.role);
  if (principal.role === 'visitor') {
    if (request.widgetId && request.widgetId !== principal.widgetId)
      throw new ParleyError('unauthorized', 'the token belongs to another widget');
    if (!(await origins.widgetAllows(principal.widgetId, request.origin)))
      throw new ParleyError('origin_not_allowed', "the page's origin is not on the widget's allow-list");
  } else if (!origins.isSelf(request.origin, request.headers)) {
    throw new ParleyError('origin_not_allowed', 'agents connect from the server’s own origin');
  }
  return principal;
}
