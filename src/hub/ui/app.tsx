/** The Hub's root: the login page, or the console of the current login. */
import type { JSX } from 'preact';
import type { Alerts } from '../browser/alerts.js';
import type { Hub } from '../state/hub.js';
import { Console } from './console.js';
import { AlertsContext, StoreContext } from './contexts.js';
import { LoginPage } from './login-page.js';

/**
 * Renders whatever the Hub's view says.
 *
 * @example
 * render(<App hub={hub} alerts={alerts} />, document.getElementById('hub')!);
 */
export function App({ hub, alerts }: { hub: Hub; alerts?: Alerts }): JSX.Element {
  const view = hub.view.value;
  if (view.page === 'login') return <LoginPage hub={hub} notice={view.notice} />;
  return (
    <AlertsContext.Provider value={alerts}>
      <StoreContext.Provider value={view.store}>
        <Console key={view.store.id} hub={hub} />
      </StoreContext.Provider>
    </AlertsContext.Provider>
  );
}
