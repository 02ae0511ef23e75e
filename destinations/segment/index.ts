// destinations/segment: Parley as a Segment (analytics-next) destination plugin, built to dist/destinations/segment.js.
// May import: parley (the package entry) and @segment/analytics-next, types only (a peer dependency).
export { ParleySegmentError, type ParleySegmentErrorCode } from './errors.js';
export type { DestinationMiddleware, MiddlewarePayload } from './consent.js';
export { parleyDestination, type ParleyDestinationPlugin } from './plugin.js';
export type { ParleySegmentSettings } from './settings.js';
