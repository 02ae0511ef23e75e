// widget: the visitor chat box (Preact in a Shadow DOM) and its plain-DOM launcher.
// May import: sdk types, protocol (types), and preact.
//
// This entry holds only what the page needs before the visitor shows interest: the shadow root,
// the plain-DOM launcher and the locale helpers. The chat box is deliberately NOT re-exported:
// the SDK loads it with `import('../widget/chatbox.js')` on first interest, so Preact, signals and
// the box's styles and strings land in their own chunk. Only its type is exported here.
import type { mountChatBox } from './chatbox.js';

export { createWidgetRoot, type WidgetRoot, type WidgetRootOptions } from './root.js';
export { mountLauncher, type Launcher } from './launcher.js';
export { addStrings, isRtlLocale, pickLocale, supportedLocales, translate, type LocaleTable } from './locales.js';

/** The chat box chunk's mount function, for typing the SDK's dynamic import. */
export type MountChatBox = typeof mountChatBox;
