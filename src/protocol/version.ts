/** The protocol version spoken by this build; it appears in hello, welcome and the `/v1` paths. */
export const PROTOCOL_VERSION = 1;
