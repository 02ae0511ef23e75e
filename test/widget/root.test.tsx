// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountChatBox } from '../../src/widget/chatbox.js';
import { createWidgetRoot } from '../../src/widget/root.js';
import { applyAccentColor } from '../../src/widget/theme.js';
import { createFakeController } from './fake-controller.js';

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const sheetText = (sheet: CSSStyleSheet) => [...sheet.cssRules].map((rule) => rule.cssText).join('\n');

describe('widget root', () => {
  it('floats an open shadow root at the end of the page with the launcher styles adopted', () => {
    document.body.append(document.createElement('main'));
    const { host, root, destroy } = createWidgetRoot();
    expect(document.body.lastElementChild).toBe(host);
    expect(host.shadowRoot).toBe(root);
    expect(root.mode).toBe('open');
    expect(host.hasAttribute('data-inline')).toBe(false);
    expect(root.adoptedStyleSheets).toHaveLength(1);
    expect(sheetText(root.adoptedStyleSheets[0]!)).toContain('.launcher');
    // Constructable stylesheets: no <style> element and no style attribute anywhere.
    expect(root.querySelector('style')).toBeNull();
    expect(host.hasAttribute('style')).toBe(false);
    destroy();
    expect(host.isConnected).toBe(false);
  });

  it('renders inside a given container in inline mode', () => {
    const container = document.createElement('div');
    document.body.append(container);
    const { host } = createWidgetRoot({ container });
    expect(host.parentElement).toBe(container);
    expect(host.hasAttribute('data-inline')).toBe(true);
  });

  it('adds the chat box sheet when the box mounts and removes it on unmount', () => {
    const { root } = createWidgetRoot();
    const unmount = mountChatBox(root, createFakeController());
    expect(root.adoptedStyleSheets).toHaveLength(2);
    expect(sheetText(root.adoptedStyleSheets[1]!)).toContain('.box');
    unmount();
    expect(root.adoptedStyleSheets).toHaveLength(1);
  });

  it('falls back to <style> elements carrying the nonce without constructable stylesheets', () => {
    vi.stubGlobal(
      'CSSStyleSheet',
      class {
        constructor() {
          throw new TypeError('Illegal constructor');
        }
      },
    );
    const { root } = createWidgetRoot({ nonce: 'n0nc3' });
    const unmount = mountChatBox(root, createFakeController());
    const styles = [...root.querySelectorAll('style')];
    expect(styles).toHaveLength(2);
    expect(styles.map((style) => style.nonce)).toEqual(['n0nc3', 'n0nc3']);
    expect(styles[0]!.textContent).toContain('.launcher');
    expect(styles[1]!.textContent).toContain('.box');
    unmount();
    expect(root.querySelectorAll('style')).toHaveLength(1);
  });

  it('sets the accent colour through a CSS custom property, and only a real colour', () => {
    const { host, setTheme } = createWidgetRoot({ color: '#0a7d4f', position: 'left' });
    expect(host.style.getPropertyValue('--parley-accent')).toBe('#0a7d4f');
    expect(host.style.getPropertyValue('--parley-on-accent')).toBe('#fff');
    expect(host.getAttribute('data-position')).toBe('left');
    setTheme({ color: 'red;background:url(//evil.example)', position: 'right' });
    expect(host.style.getPropertyValue('--parley-accent')).toBe('#0a7d4f');
    expect(host.style.getPropertyValue('background')).toBe('');
    expect(host.getAttribute('data-position')).toBe('right');
    setTheme({ color: '#FFD700' });
    expect(host.style.getPropertyValue('--parley-accent')).toBe('#FFD700');
  });

  it('picks dark text on a light accent and white text on a dark one', () => {
    const host = document.createElement('div');
    expect(applyAccentColor(host, '#ffd700')).toBe(true);
    expect(host.style.getPropertyValue('--parley-on-accent')).toBe('#111');
    expect(applyAccentColor(host, '#123')).toBe(true);
    expect(host.style.getPropertyValue('--parley-on-accent')).toBe('#fff');
    for (const bad of ['#12345', 'blue', 'url(x)', '#1234567', undefined])
      expect(applyAccentColor(host, bad)).toBe(false);
  });
});
