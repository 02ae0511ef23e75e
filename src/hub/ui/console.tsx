/** The console of one login: top bar, sidebar and the main area with the chosen view. */
import type { JSX } from 'preact';
import { useContext, useEffect, useMemo } from 'preact/hooks';
import type { Hub } from '../state/hub.js';
import { CallMeInbox } from './callme-inbox.js';
import { ChatView } from './chat-view.js';
import { AlertsContext, ConsoleUiContext, createConsoleUi, useStore } from './contexts.js';
import { HomeView } from './home-view.js';
import { OfflineInbox } from './offline-inbox.js';
import { ShortcutsHelp } from './shortcuts-help.js';
import { Sidebar } from './sidebar.js';
import { TopBar } from './top-bar.js';
import { TranscriptsPage } from './transcripts-page.js';
import { useShortcuts } from './use-shortcuts.js';
import { useWindowFocus } from './use-window-focus.js';

function MainView(): JSX.Element {
  const view = useStore().view.value;
  switch (view.kind) {
    case 'chat':
      return <ChatView id={view.id} />;
    case 'callme':
      return <CallMeInbox />;
    case 'offline':
      return <OfflineInbox />;
    case 'transcripts':
      return <TranscriptsPage />;
    case 'home':
      return <HomeView />;
  }
}

/**
 * Renders the console for the store in context; the App keys it by store, so a new login starts clean.
 *
 * @example
 * <StoreContext.Provider value={store}><Console hub={hub} /></StoreContext.Provider>
 */
export function Console({ hub }: { hub: Hub }): JSX.Element {
  const store = useStore();
  const alerts = useContext(AlertsContext);
  const ui = useMemo(createConsoleUi, []);
  useShortcuts(store, ui);
  useWindowFocus(store);
  useEffect(() => alerts?.attach(store), [alerts, store]);

  return (
    <ConsoleUiContext.Provider value={ui}>
      <div class="hub">
        <TopBar hub={hub} />
        <div class="hub-body">
          <Sidebar />
          <main class="hub-main" id="main">
            <MainView />
          </main>
        </div>
        {ui.help.value && <ShortcutsHelp onClose={() => (ui.help.value = false)} />}
      </div>
    </ConsoleUiContext.Provider>
  );
}
