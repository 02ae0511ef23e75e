/**
 * Identity verification for `identify`: the site's backend vouches for a visitor with a JWT
 * (HS256, signed with the widget secret) or, for compatibility, an HMAC of the user id or email.
 * Without proof an identity is stored as unverified and unlocks nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';
import { ParleyError, type ClientFrameOf } from '../../protocol/index.js';
import type { ServiceContext, VisitorPrincipal } from './context.js';

type Identify = ClientFrameOf<'visitor.identify'>;

function hmacMatches(secret: string, subject: string, token: string): boolean {
  const expected = createHmac('sha256', secret).update(subject).digest();
  const given = Buffer.from(token, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The verified user id, email and name the token vouches for; throws `unauthorized` when it does not. */
async function verify(secret: string, frame: Identify): Promise<{ userId?: string; email?: string; name?: string }> {
  const token = frame.identityToken!;
  if (/^[0-9a-f]{64}$/i.test(token)) {
    const subject = frame.userId ?? frame.email;
    if (subject && hmacMatches(secret, subject, token))
      return { userId: frame.userId, email: frame.email, name: frame.name };
    throw new ParleyError('unauthorized', 'the identity HMAC does not match');
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    });
    const claim = (key: string) => (typeof payload[key] === 'string' ? payload[key] : undefined);
    const verified = { userId: payload.sub, email: claim('email'), name: claim('name') };
    // What the page claims must not contradict what the backend signed.
    if (
      (frame.userId && frame.userId !== verified.userId) ||
      (frame.email && verified.email && frame.email !== verified.email)
    ) {
      throw new ParleyError('unauthorized', 'the identity token is for someone else');
    }
    return { userId: verified.userId, email: verified.email ?? frame.email, name: verified.name ?? frame.name };
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    throw new ParleyError('unauthorized', 'the identity token is invalid or expired');
  }
}

export function createIdentity(ctx: ServiceContext) {
  const { db, now } = ctx;
  return {
    /** Records who the visitor says they are, and whether the site's backend vouched for it. */
    async identify(principal: VisitorPrincipal, frame: Identify): Promise<{ verified: boolean }> {
      let identity: { userId?: string; email?: string; name?: string } = {
        userId: frame.userId,
        email: frame.email,
        name: frame.name,
      };
      let verified = false;
      if (frame.identityToken) {
        const widget = await db
          .selectFrom('widgets')
          .select('secret')
          .where('id', '=', principal.widgetId)
          .executeTakeFirstOrThrow();
        identity = await verify(widget.secret, frame);
        verified = true;
      }
      await db
        .updateTable('visitors')
        .set({
          name: identity.name ?? null,
          email: identity.email?.toLowerCase() ?? null,
          user_id: identity.userId ?? null,
          verified: verified ? 1 : 0,
          updated_at: now(),
        })
        .where('id', '=', principal.visitorId)
        .execute();
      return { verified };
    },
  };
}
