/**
 * The loader a site owner pastes: it defines `window.Parley` as a queue stub at once, so calls made
 * before the widget arrives are kept in order and each returns a promise. In the page's first
 * frame it shows the launcher's bubble (`Parley.h`), and once that frame is painted it loads the
 * widget bundle as an async module, whose entry turns the bubble into the launcher. The page never
 * waits for any of it.
 *
 * Its settings are the `data-*` attributes of its own `<script>` element, which is why the same
 * bytes work pasted inline (`<script data-widget="…" data-server="…">…</script>`) and served as
 * `/snippet.js` for pages whose CSP forbids inline scripts (`<script src=".../snippet.js"
 * data-widget="…">`, the server then being the script's own origin). `data-color` and
 * `data-position` place and colour the bubble before the widget's own settings arrive. The entry
 * (src/sdk/entry.ts) reads `Parley.q` (the queued calls), `Parley.c` (the settings) and `Parley.h`.
 */
(() => {
  const page = window as unknown as { Parley?: unknown };
  // Pasted twice, or the widget already loaded: the first one stays in charge.
  if (page.Parley) return;
  const script = document.currentScript as HTMLScriptElement | null;
  const settings: Record<string, string | undefined> = { ...script?.dataset, nonce: script?.nonce };
  const server = (settings.server ?? (script?.src ? new URL(script.src).origin : location.origin)).replace(/\/$/, '');
  const queue: [unknown[], ...unknown[]][] = [];
  const stub = Object.assign(
    (...args: unknown[]) => new Promise((resolve, reject) => queue.push([args, resolve, reject])),
    { q: queue, c: { ...settings, server } } as { q: unknown[]; c: object; h?: HTMLElement },
  );
  page.Parley = stub;
  const load = () => {
    const bundle = document.createElement('script');
    bundle.type = 'module';
    bundle.src = `${server}/widget.js`;
    // A page with a nonce-based CSP trusts the bundle because it carries the snippet's nonce.
    if (settings.nonce) bundle.nonce = settings.nonce;
    // Without the bundle, the bubble could never open the chat.
    bundle.onerror = () => stub.h?.remove();
    document.head.append(bundle);
  };
  // The bubble goes in once the page is parsed, so it is in the page's first frame: a frame asked
  // for while the parser runs would make the browser lay the page out one extra time. The bundle's
  // request waits until that frame is painted, because a page's first module script costs tens of
  // milliseconds on a slow phone, which that frame would wait for. A hidden tab paints no frame, so
  // it loads at once.
  // No bubble for an inline chat, nor when the page has queued hide().
  const firstFrame = () => {
    if (!settings.container && !queue.some(([[method]]) => method == 'hide')) {
      // Styled through the CSSOM, which a strict CSP allows (a style attribute it would not).
      const bubble = (stub.h = document.createElement('parley-bubble'));
      bubble.style.cssText =
        `position:fixed;bottom:20px;${settings.position == 'left' ? 'left' : 'right'}:20px;z-index:2147483000;` +
        `padding:24px;border-radius:24px;background:${settings.color ?? '#1d4ed8'}`;
      bubble.onclick = () => stub('open');
      document.body.append(bubble);
    }
    requestAnimationFrame(() => setTimeout(load));
  };
  if (document.hidden) load();
  else if (document.readyState == 'loading') addEventListener('DOMContentLoaded', firstFrame);
  else firstFrame();
})();

// A module to the type checker (isolatedModules); the built file exports nothing.
export {};
