/* global AnalyticsNext -- defined by analytics-next's browser build, which this script loads */
// Segment's analytics-next with the Parley destination, and nothing from the internet: analytics-next
// comes from this demo server (its "CDN"), its source settings are inline (`cdnSettings`), and its
// API host is the server's Segment stub, which logs every event and lists them at /demo/segment/events.
(() => {
  const widgetId = new URLSearchParams(location.search).get('widget');
  if (!widgetId) document.documentElement.classList.add('missing-widget');
  // analytics-next reads where its own chunks live when its script runs.
  window.analytics = { _cdn: `${location.origin}/demo/segment/cdn` };

  async function start() {
    const { parleyDestination } = await import('/destinations/segment.js');
    const apiHost = `${location.host}/demo/segment/v1`;
    const protocol = location.protocol.slice(0, -1);
    const analytics = AnalyticsNext.AnalyticsBrowser.load(
      {
        writeKey: 'parley-demo',
        cdnSettings: {
          integrations: { 'Segment.io': { apiKey: 'parley-demo', apiHost, protocol } },
          // analytics.js's own metrics would go to Segment: off.
          metrics: { sampleRate: 0 },
        },
        plugins: [parleyDestination({ widgetId, server: location.origin, recordLiveChatEvents: true })],
      },
      { integrations: { 'Segment.io': { apiHost, protocol } } },
    );
    window.analytics = analytics;
    analytics.page();
    document.getElementById('identify').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      analytics.identify('demo-visitor', { email: form.get('email'), name: form.get('name') || undefined });
    });
  }

  /** Lists what the Segment stub received, newest last. */
  async function showReceived() {
    const response = await fetch('/demo/segment/events');
    const { events } = await response.json();
    const list = document.getElementById('events');
    list.replaceChildren(
      ...events.map((received) => {
        const item = document.createElement('li');
        item.textContent = `${received.type} ${received.event ?? ''} ${JSON.stringify(received.properties ?? received.traits ?? {})}`;
        return item;
      }),
    );
  }

  const script = document.createElement('script');
  script.src = '/demo/segment/cdn/analytics-next/bundles/index.js';
  script.addEventListener('load', () => start().catch((error) => console.error('[demo] Segment set-up failed', error)));
  document.head.append(script);
  showReceived();
  setInterval(showReceived, 1000);
})();
