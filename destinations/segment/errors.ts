/** The coded error of the Segment destination: its `load` rejects with it, so analytics-next logs it and drops the plugin. */

export type ParleySegmentErrorCode = 'invalid_settings' | 'widget_unavailable';

/**
 * Why the destination could not start: bad settings, or a widget that could not be loaded.
 *
 * @example
 * throw new ParleySegmentError('invalid_settings', 'widgetId must be the widget ID (a UUID) from your Parley server');
 */
export class ParleySegmentError extends Error {
  constructor(
    readonly code: ParleySegmentErrorCode,
    message: string,
  ) {
    super(`[parley] Segment destination: ${message} (${code})`);
    this.name = 'ParleySegmentError';
  }
}
