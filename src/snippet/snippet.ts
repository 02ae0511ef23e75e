/**
 * The loader a site owner pastes: it defines `window.Parley` as a queue stub at once, so calls made
 * before the widget arrives are kept in order and each returns a promise, then loads the widget
 * bundle as an async module, so the page never waits for it.
 *
 * Its settings are the `data-*` attributes of its own `<script>` element, which is why the same
 * bytes work pasted inline (`<script data-widget="…" data-server="…">…</script>`) and served as
 * `/snippet.js` for pages whose CSP forbids inline scripts (`<script src=".../snippet.js"
 * data-widget="…">`, the server then being the script's own origin). The widget's entry
 * (src/sdk/entry.ts) reads `Parley.q` (the queued calls) and `Parley.c` (the settings).
 */
(() => {
  const page = window as unknown as { Parley?: unknown };
  // Pasted twice, or the widget already loaded: the first one stays in charge.
  if (page.Parley) return;
  const script = document.currentScript as HTMLScriptElement | null;
  const settings: Record<string, string | undefined> = { ...script?.dataset, nonce: script?.nonce };
  const server = (settings.server ?? (script?.src ? new URL(script.src).origin : location.origin)).replace(/\/$/, '');
  const queue: unknown[] = [];
  // No credentials and nothing about the visitor: the public config may be fetched before consent.
  // A failed request resolves to undefined, and the entry then asks again itself.
  const config =
    settings.widget &&
    fetch(`${server}/v1/widgets/${encodeURIComponent(settings.widget)}/config`, { credentials: 'omit' }).catch(
      () => undefined,
    );
  page.Parley = Object.assign(
    (...args: unknown[]) => new Promise((resolve, reject) => queue.push([args, resolve, reject])),
    { q: queue, c: { ...settings, server }, f: config },
  );
  const bundle = document.createElement('script');
  bundle.type = 'module';
  bundle.async = true;
  bundle.src = `${server}/widget.js`;
  // A page with a nonce-based CSP trusts the bundle because it carries the snippet's nonce.
  if (settings.nonce) bundle.nonce = settings.nonce;
  document.head.append(bundle);
})();

// A module to the type checker (isolatedModules); the built file exports nothing.
export {};
