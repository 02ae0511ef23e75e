/** The login page: email and password, with errors that never tell whether an account exists. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Hub, Notice } from '../state/hub.js';

/**
 * Renders the login form; `notice` says why the agent is here (logged out, session ended).
 *
 * @example
 * <LoginPage hub={hub} notice={{ tone: 'info', text: 'You logged out.' }} />
 */
export function LoginPage({ hub, notice }: { hub: Hub; notice?: Notice | undefined }): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (email.trim() === '' || password === '') {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    const result = await hub.login(email, password);
    // On success this page is replaced by the console.
    if (!result.ok) {
      setBusy(false);
      setPassword('');
      setError(result.message);
    }
  };

  return (
    <main class="login">
      <form class="login-card" aria-labelledby="login-title" onSubmit={(event) => void submit(event)} noValidate>
        <h1 id="login-title">Parley Hub</h1>
        <p class="login-intro">Log in to answer your visitors’ chats.</p>
        {notice && (
          <p class={`notice notice-${notice.tone}`} role="status">
            {notice.text}
          </p>
        )}
        <label for="login-email">Email</label>
        <input
          id="login-email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'login-error' : undefined}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'login-error' : undefined}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
        <p id="login-error" class="form-error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
