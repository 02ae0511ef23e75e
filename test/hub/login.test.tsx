// @vitest-environment happy-dom
import { act, cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { conversation } from './fake-client.js';
import { anna, fakeFetch, renderConsole, renderHub, serverRoutes } from './render-hub.js';

afterEach(cleanup);

const wrongCredentials = () => ({
  status: 401,
  body: { error: { code: 'unauthorized', message: 'email or password is wrong' } },
});

async function logIn(view: ReturnType<typeof renderHub>['view'], email: string, password: string) {
  fireEvent.input(view.getByLabelText('Email'), { target: { value: email } });
  fireEvent.input(view.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(view.getByRole('button', { name: 'Log in' }));
  await waitFor(() => expect(view.queryByText('Logging in…')).toBeNull());
}

describe('login', () => {
  it('says the same for an unknown email and a wrong password, and never whether the account exists', async () => {
    const { view } = renderHub(fakeFetch({ '/v1/agent/login': wrongCredentials }));
    await logIn(view, 'nobody@example.com', 'whatever-it-is');
    const unknownEmail = view.getByRole('alert').textContent;
    await logIn(view, 'anna@example.com', 'not-her-password');
    const wrongPassword = view.getByRole('alert').textContent;

    expect(unknownEmail).toBe('Wrong email or password.');
    expect(wrongPassword).toBe(unknownEmail);
    expect(unknownEmail).not.toMatch(/exist|unknown|no account|not found/i);
    // The password is cleared for the next try; the email stays.
    expect((view.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect((view.getByLabelText('Email') as HTMLInputElement).value).toBe('anna@example.com');
    expect(view.getByLabelText('Password').getAttribute('aria-describedby')).toBe('login-error');
    expect(view.queryByRole('banner')).toBeNull();
  });

  it('explains a rate limit, a network failure and empty fields', async () => {
    let answer: 'rate' | 'network' = 'rate';
    const { view } = renderHub(
      fakeFetch({
        '/v1/agent/login': () =>
          answer === 'rate'
            ? { status: 429, body: { error: { code: 'rate_limited', message: 'too many login attempts' } } }
            : 'network',
      }),
    );
    await logIn(view, 'anna@example.com', 'guess-1');
    expect(view.getByRole('alert').textContent).toBe('Too many login attempts. Wait a few minutes, then try again.');
    answer = 'network';
    await logIn(view, 'anna@example.com', 'guess-2');
    expect(view.getByRole('alert').textContent).toBe('Cannot reach the server. Check your connection and try again.');
    await logIn(view, '', '');
    expect(view.getByRole('alert').textContent).toBe('Enter your email and password.');
  });

  it('opens the console on success, sending the email and password once', async () => {
    const rendered = renderHub();
    await logIn(rendered.view, 'anna@example.com', 'correct horse battery');
    expect(rendered.fetch.calls).toHaveLength(1);
    expect(rendered.fetch.calls[0]!.body).toEqual({ email: 'anna@example.com', password: 'correct horse battery' });
    expect(rendered.view.getByRole('banner').textContent).toContain('Parley Hub');
    expect(rendered.view.getByRole('status', { name: '' }).textContent).toBe('Connecting…');
    await act(() => rendered.client.welcome(anna));
    expect(rendered.view.getByRole('heading', { name: 'Hello, Anna' })).toBeTruthy();
  });
});

describe('session end and logout', () => {
  it('returns to the login page with a message when the session is revoked, and starts the next login clean', async () => {
    const ana = conversation('c1', { id: 'v1', name: 'Ana Silva', verified: false });
    const rendered = await renderConsole({ conversations: [ana.summary(anna)] });
    const first = rendered.client;
    await act(() => first.deliver(ana.started(), ana.visitorSays('Where is my parcel?'), ana.assigned(anna)));
    expect(rendered.view.getByRole('button', { name: /Ana Silva/ })).toBeTruthy();

    await act(() => first.endSession('expired', 4401));
    expect(rendered.view.getByRole('status').textContent).toBe('Your session expired. Log in again.');
    expect(rendered.view.queryByText(/Ana Silva/)).toBeNull();
    expect(first.closed).toBe(true);

    await logIn(rendered.view, 'anna@example.com', 'correct horse battery');
    await act(() => rendered.client.welcome(anna));
    expect(rendered.client).not.toBe(first);
    expect(rendered.store.chats.value.size).toBe(0);
    expect(rendered.view.queryByText(/Ana Silva/)).toBeNull();
    expect(rendered.view.getByText('No chats yet.')).toBeTruthy();
  });

  it('says so when another window or device logged this session out', async () => {
    const rendered = await renderConsole();
    await act(() => rendered.client.endSession('logout', 4409));
    expect(rendered.view.getByRole('status').textContent).toBe('You were logged out from another window or device.');
    expect(rendered.view.getByRole('button', { name: 'Log in' })).toBeTruthy();
  });

  it('logs out here, or everywhere, from the account menu', async () => {
    for (const everywhere of [false, true]) {
      const rendered = await renderConsole();
      fireEvent.click(rendered.view.getByRole('button', { name: 'Anna' }));
      fireEvent.click(rendered.view.getByRole('button', { name: everywhere ? 'Log out everywhere' : 'Log out' }));
      await waitFor(() => expect(rendered.view.getByRole('button', { name: 'Log in' })).toBeTruthy());
      const logout = rendered.fetch.calls.find((call) => call.url.endsWith('/v1/agent/logout'))!;
      expect(logout.body).toEqual({ everywhere });
      expect(logout.headers.authorization).toBe(`Bearer a_token_for_${anna.id}`);
      expect(rendered.view.getByRole('status').textContent).toBe(
        everywhere ? 'You logged out on all your devices.' : 'You logged out.',
      );
      expect(rendered.client.closed).toBe(true);
      cleanup();
    }
  });

  it('shows a visible reconnecting state while the link is down', async () => {
    const rendered = await renderConsole();
    const banner = () => rendered.view.getByRole('banner').querySelector('[role="status"]')!;
    expect(banner().textContent).toBe('');
    await act(() => rendered.client.setState('reconnecting'));
    expect(banner().textContent).toMatch(/^Reconnecting…/);
    await act(() => rendered.client.setState('open'));
    expect(banner().textContent).toBe('');
  });
});

// The login routes are shared with other files; keep the import used when tests change.
void serverRoutes;
