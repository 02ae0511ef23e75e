/**
 * The entry's stylesheet: the host reset, the launcher, and the helpers (`.sr`, `[hidden]`) that the
 * chat box's sheet builds on. Kept small because it ships before the visitor shows any interest.
 * `all: initial` stops the page's inherited fonts and colours leaking in. The launcher's side is
 * the site's physical choice (`data-position`), so it uses left/right rather than logical properties.
 */
export const launcherCss = `
:host{all:initial;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
:host([data-inline]){display:block;height:100%}
*{box-sizing:border-box}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;min-height:48px;padding:0 20px;border:0;border-radius:24px;background:var(--parley-accent,#1d4ed8);color:var(--parley-on-accent,#fff);font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px #0004;transition:transform .15s}
.launcher:hover{transform:translateY(-2px)}
.launcher:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 2px #fff}
:host([data-position=left]) .launcher{right:auto;left:20px}
:host([data-inline]) .launcher{position:static}
.badge{display:inline-block;min-width:22px;padding:2px 6px;border-radius:11px;background:#b42318;color:#fff;font-size:12px;text-align:center}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
