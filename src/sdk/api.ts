/** The public JS API object: every call is checked here before it reaches the controller. */
import type { CustomData, ParleyApi, ParleyEventName, ParleyListener, VisitorIdentity } from './api-types.js';
import { isCustomValue, isEmail, isRecord } from './checks.js';
import { Controller } from './controller.js';
import { liveChatEventNames, toDestination } from './destinations.js';
import type { IdentityInput } from './engine.js';
import { asApiError, badCall, type ParleyApiError } from './errors.js';

/** Every event a listener may subscribe to. */
export const eventNames: readonly ParleyEventName[] = [
  'open',
  'close',
  'chatStarted',
  'messageSent',
  'messageReceived',
  'chatEnded',
  'callMeRequested',
  'offlineMessageSubmitted',
  'surveySubmitted',
  'unreadCountChanged',
  ...liveChatEventNames,
];

const maxCustomKeys = 50;

/** Custom data as the protocol takes it, or what is wrong with it. */
function readCustomData(data: Record<string, unknown>): CustomData | string {
  const entries = Object.entries(data).filter(([, value]) => value !== undefined);
  if (entries.length > maxCustomKeys) return `at most ${maxCustomKeys} custom keys`;
  for (const [key, value] of entries) {
    if (key.length > 64) return `the key "${key.slice(0, 20)}…" is longer than 64 characters`;
    if (!isCustomValue(value)) return `"${key}" must be a string (up to 500 characters), a number, a boolean or null`;
  }
  return Object.fromEntries(entries) as CustomData;
}

/** The identity and custom data of an `identify` call, or the error that explains the bad call. */
function readIdentity(identity: unknown, identityToken: unknown): [IdentityInput, CustomData] | ParleyApiError {
  if (!isRecord(identity))
    return badCall('invalid_argument', 'identify', 'pass an object like { email, name, userId }');
  const { email, name, userId, ...rest } = identity as VisitorIdentity;
  if (email !== undefined && !isEmail(email)) {
    return badCall('invalid_email', 'identify', `"${String(email)}" is not a valid email address`);
  }
  if (name !== undefined && (typeof name !== 'string' || name.length > 120)) {
    return badCall('invalid_argument', 'identify', 'name must be a string of at most 120 characters');
  }
  if (userId !== undefined && (typeof userId !== 'string' || userId === '' || userId.length > 128)) {
    return badCall('invalid_argument', 'identify', 'userId must be a non-empty string of at most 128 characters');
  }
  if (
    identityToken !== undefined &&
    (typeof identityToken !== 'string' || identityToken.length < 16 || identityToken.length > 4096)
  ) {
    return badCall('invalid_argument', 'identify', 'identityToken must be the JWT or HMAC string from your backend');
  }
  const custom = readCustomData(rest);
  if (typeof custom === 'string') return badCall('invalid_argument', 'identify', custom);
  const input: IdentityInput = {
    ...(email !== undefined ? { email } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(identityToken !== undefined ? { identityToken } : {}),
  };
  return [input, custom];
}

const isEventName = (event: unknown): event is ParleyEventName => eventNames.includes(event as ParleyEventName);

/**
 * The API over one controller, or over the error that kept it from being created (then every
 * call reports that error). Each method checks its input, warns and rejects on a bad call, and
 * never throws.
 *
 * @example
 * const api = createApi(controller);
 * await api.sendMessage('Hello'); // { id, conversationId }
 * await api.identify({ email: 'not-an-email' }); // rejects: ParleyApiError invalid_email, and a console warning
 */
export function createApi(controller: Controller | ParleyApiError): ParleyApi {
  /** The controller, or the error to report for `method` (bad options, destroyed). */
  const usable = (method: string): Controller | ParleyApiError => {
    if (!(controller instanceof Controller)) {
      return badCall(controller.code, method, `the chat was not created: ${controller.message}`);
    }
    if (controller.destroyed) return badCall('destroyed', method, 'the chat was destroyed');
    return controller;
  };
  const reject = (error: ParleyApiError) => Promise.reject(error);
  /** Runs an async operation and turns any failure into a coded API error. */
  const run = <T>(method: string, operation: (controller: Controller) => Promise<T>): Promise<T> => {
    const target = usable(method);
    if (!(target instanceof Controller)) return reject(target);
    return operation(target).catch((error: unknown) => Promise.reject(asApiError(method, error)));
  };
  /** A synchronous command: runs it, or warns and does nothing. */
  const command = (method: string, action: (controller: Controller) => void): void => {
    const target = usable(method);
    if (target instanceof Controller) action(target);
  };

  return {
    identify(identity, identityToken) {
      const input = readIdentity(identity, identityToken);
      if (!Array.isArray(input)) return reject(input);
      const [{ identityToken: _token, ...known }, custom] = input;
      return run('identify', (chat) => {
        chat.destinations.identify({ ...custom, ...known });
        return chat.identify(...input);
      });
    },
    setDefaultImplicitConsent(implicit) {
      if (typeof implicit !== 'boolean') {
        return reject(badCall('invalid_argument', 'setDefaultImplicitConsent', 'pass true or false'));
      }
      return run('setDefaultImplicitConsent', (chat) => Promise.resolve(chat.setDefaultImplicitConsent(implicit)));
    },
    consent(decision) {
      if (decision !== 'grant' && decision !== 'deny') {
        return reject(badCall('invalid_argument', 'consent', 'pass "grant" or "deny"'));
      }
      return run('consent', (chat) => Promise.resolve(chat.decideConsent(decision === 'grant' ? 'granted' : 'denied')));
    },
    getConsent() {
      const target = usable('getConsent');
      return target instanceof Controller ? target.getState().consent : 'pending';
    },
    clearAll() {
      return run('clearAll', (chat) => chat.clearAll());
    },
    open() {
      command('open', (chat) => chat.open());
    },
    close() {
      command('close', (chat) => chat.close());
    },
    toggle() {
      command('toggle', (chat) => chat.toggle());
    },
    show() {
      command('show', (chat) => chat.show());
    },
    hide() {
      command('hide', (chat) => chat.hide());
    },
    getUnreadCount() {
      const target = usable('getUnreadCount');
      return target instanceof Controller ? target.getState().unread : 0;
    },
    sendMessage(text) {
      if (typeof text !== 'string' || text.trim() === '') {
        return reject(badCall('invalid_argument', 'sendMessage', 'pass the message text (a non-empty string)'));
      }
      if (text.length > 4000) {
        return reject(badCall('invalid_argument', 'sendMessage', 'a message holds at most 4000 characters'));
      }
      return run('sendMessage', (chat) => chat.sendMessage(text));
    },
    setCustomData(data) {
      if (!isRecord(data)) return reject(badCall('invalid_argument', 'setCustomData', 'pass an object of values'));
      const custom = readCustomData(data);
      if (typeof custom === 'string') return reject(badCall('invalid_argument', 'setCustomData', custom));
      return run('setCustomData', (chat) => chat.setCustomData(custom));
    },
    on<E extends ParleyEventName>(event: E, listener: ParleyListener<E>) {
      if (!isEventName(event)) {
        return reject(
          badCall('invalid_argument', 'on', `unknown event "${String(event)}"; known: ${eventNames.join(', ')}`),
        );
      }
      if (typeof listener !== 'function') return reject(badCall('invalid_argument', 'on', 'pass a listener function'));
      return run('on', (chat) => Promise.resolve(void chat.events.on(event, listener)));
    },
    off<E extends ParleyEventName>(event: E, listener: ParleyListener<E>) {
      if (!isEventName(event) || typeof listener !== 'function') {
        return reject(badCall('invalid_argument', 'off', 'pass an event name and the listener given to on()'));
      }
      return run('off', (chat) => Promise.resolve(chat.events.off(event, listener)));
    },
    use(destination) {
      const resolved = toDestination(destination);
      if (!resolved) {
        return reject(badCall('invalid_argument', 'use', 'pass { name, track }, "dataLayer" or a function'));
      }
      return run('use', (chat) =>
        chat.destinations.add(resolved)
          ? Promise.resolve()
          : Promise.reject(badCall('invalid_argument', 'use', `"${resolved.name}" is in use already`)),
      );
    },
    destroy() {
      if (controller instanceof Controller) controller.destroy();
    },
  };
}
