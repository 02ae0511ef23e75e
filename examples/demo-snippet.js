// The README's snippet, for these demo pages only. A site pastes the snippet with its widget ID in
// data-widget; the demo pages instead take the ID from ?widget= (the server prints the demo URLs
// with it), so the same static files serve any demo widget without an inline script. Other data-*
// attributes of this script tag (data-container, data-locale, data-consent) pass through, as the
// snippet's own do. It loads the widget at once and draws no bubble: the launcher comes with the
// widget.
(() => {
  if (window.Parley) return;
  const script = document.currentScript;
  const widget = new URLSearchParams(location.search).get('widget');
  if (!widget) {
    console.warn('[demo] add ?widget=<widget ID> to the URL (see data/demo.json)');
    document.documentElement.classList.add('missing-widget');
  }
  const queue = [];
  window.Parley = Object.assign((...args) => new Promise((resolve, reject) => queue.push([args, resolve, reject])), {
    q: queue,
    c: { ...script.dataset, widget: widget ?? '', server: location.origin },
  });
  const bundle = document.createElement('script');
  bundle.type = 'module';
  bundle.async = true;
  bundle.src = '/widget.js';
  document.head.append(bundle);
})();
