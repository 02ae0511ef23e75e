/** The error the client's pending promises reject with once it is closed for good. */

/**
 * The client stopped for good: `close()` was called, the server ended the session, or it refused
 * the connection with a final close code (unauthorized, origin not allowed, unsupported version).
 * Sends and requests still waiting reject with it; `closeCode` and `reason` say why.
 *
 * @example
 * client.send({ body: 'Hi' }).catch((error) => {
 *   if (error instanceof ClientClosedError && error.closeCode === closeCodes.unauthorized) signIn();
 * });
 */
export class ClientClosedError extends Error {
  override readonly name = 'ClientClosedError';

  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(`the Parley client is closed (${closeCode}${reason ? `: ${reason}` : ''})`);
  }
}
