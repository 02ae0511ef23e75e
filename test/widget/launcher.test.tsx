// @vitest-environment happy-dom
import { within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { mountLauncher, type Launcher } from '../../src/widget/launcher.js';
import { createWidgetRoot, type WidgetRoot } from '../../src/widget/root.js';
import { createFakeController, styledElements, type FakeController } from './fake-controller.js';

let widget: WidgetRoot;
let launcher: Launcher;
let controller: FakeController;
let onInterest: Mock<() => void>;

function setup(patch: Parameters<typeof createFakeController>[0] = {}): HTMLButtonElement {
  widget = createWidgetRoot();
  controller = createFakeController(patch);
  onInterest = vi.fn<() => void>();
  launcher = mountLauncher(widget.root, controller, onInterest);
  // The SDK drives the launcher from its state, as it will in production.
  controller.subscribe((state) => launcher.update(state));
  return widget.root.querySelector('button')!;
}

/** The launcher found by the name a screen reader announces (hidden parts excluded). */
const launcherNamed = (name: string | RegExp) =>
  within(widget.root as unknown as HTMLElement).queryByRole('button', { name });

afterEach(() => widget.destroy());

describe('launcher', () => {
  it('invites a chat when agents are online and asks for a message when none are', () => {
    const button = setup({ online: true });
    expect(launcherNamed('Chat with us')).toBe(button);
    controller.set({ online: false });
    expect(launcherNamed('Leave a message')).toBe(button);
  });

  it('never says "closed" while consent is pending, online or not', () => {
    const button = setup({ consent: 'pending', online: true });
    expect(launcherNamed('Chat with us')).toBe(button);
    controller.set({ online: false });
    expect(launcherNamed('Leave a message')).toBe(button);
    expect(widget.root.textContent).not.toMatch(/closed/i);
    expect(button.hidden).toBe(false);
  });

  it('shows the unread count with an accessible label, and no badge at zero', () => {
    const button = setup({ unread: 0 });
    const badge = button.querySelector('.badge')!;
    expect(badge.hasAttribute('hidden')).toBe(true);
    expect(launcherNamed('Chat with us')).toBe(button);
    controller.set({ unread: 3 });
    expect(badge.hasAttribute('hidden')).toBe(false);
    expect(badge.textContent).toBe('3');
    // The bare digit is hidden from screen readers, which hear the sentence instead.
    expect(badge.getAttribute('aria-hidden')).toBe('true');
    expect(launcherNamed('Chat with us Unread messages: 3')).toBe(button);
    controller.set({ unread: 250 });
    expect(badge.textContent).toBe('99+');
    expect(launcherNamed('Chat with us Unread messages: 250')).toBe(button);
  });

  it('is hidden when the launcher is hidden, and back on show', () => {
    const button = setup({ visible: false });
    expect(button.hidden).toBe(true);
    expect(launcherNamed(/./)).toBeNull();
    controller.set({ visible: true });
    expect(launcherNamed('Chat with us')).toBe(button);
  });

  it('toggles the chat box and reflects it in aria-expanded', () => {
    const button = setup();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    expect(controller.open).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    button.click();
    expect(controller.close).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('reports interest once, on the first hover, focus or click', () => {
    const button = setup();
    expect(onInterest).not.toHaveBeenCalled();
    button.dispatchEvent(new PointerEvent('pointerenter'));
    expect(onInterest).toHaveBeenCalledTimes(1);
    button.focus();
    button.click();
    button.dispatchEvent(new PointerEvent('pointerenter'));
    expect(onInterest).toHaveBeenCalledTimes(1);
  });

  it('reports interest on keyboard focus alone, and on a click alone', () => {
    setup().focus();
    expect(onInterest).toHaveBeenCalledTimes(1);
    widget.destroy();
    setup().click();
    expect(onInterest).toHaveBeenCalledTimes(1);
  });

  it('speaks German, follows RTL, takes site texts, and carries no style attribute', () => {
    const button = setup({ locale: 'de', unread: 2 });
    expect(launcherNamed('Chatten Sie mit uns Ungelesene Nachrichten: 2')).toBe(button);
    expect(button.lang).toBe('de');
    controller.set({ online: false });
    expect(launcherNamed(/^Nachricht hinterlassen/)).toBe(button);
    controller.set({ online: true, rtl: true, settings: { texts: { 'launcher.online': 'Frag uns' } } });
    expect(button.dir).toBe('rtl');
    expect(launcherNamed(/^Frag uns/)).toBe(button);
    expect(styledElements(widget.root)).toEqual([]);
  });

  it('goes away on destroy', () => {
    setup();
    launcher.destroy();
    expect(widget.root.querySelector('button')).toBeNull();
  });
});
