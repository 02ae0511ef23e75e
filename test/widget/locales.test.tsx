// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { chatBoxStrings } from '../../src/widget/chatbox-strings.js';
import { isRtlLocale, pickLocale, supportedLocales, translate } from '../../src/widget/locales.js';
import './fake-controller.js';

describe('locales', () => {
  it('picks the requested locale, then the page language, then English', () => {
    expect(pickLocale('de', 'en')).toBe('de');
    expect(pickLocale(undefined, 'de-CH')).toBe('de');
    expect(pickLocale('DE_at', undefined)).toBe('de');
    expect(pickLocale('fr', 'de')).toBe('de');
    expect(pickLocale('fr', 'ja')).toBe('en');
    expect(pickLocale(undefined, undefined)).toBe('en');
    expect(pickLocale('', '')).toBe('en');
  });

  it('fills placeholders and lets the site override a text per key', () => {
    expect(translate('en', 'queue.position', { position: 3 })).toBe('You are number 3 in line');
    expect(translate('de', 'queue.position', { position: 3 })).toBe('Sie sind Nummer 3 in der Warteschlange');
    expect(translate('de-AT', 'consent.start')).toBe('Chat starten');
    expect(translate('en', 'launcher.online', {}, { 'launcher.online': 'Talk to {who}' })).toBe('Talk to {who}');
    expect(translate('de', 'launcher.online', { who: 'us' }, { 'launcher.online': 'Talk to {who}' })).toBe(
      'Talk to us',
    );
    // Values are text: a placeholder value is inserted as is, not interpreted.
    expect(translate('en', 'typing', { name: '<b>{x}</b>' })).toBe('<b>{x}</b> is typing…');
  });

  it('falls back to English, then to the key, for strings a locale lacks', () => {
    expect(translate('fr', 'consent.start')).toBe('Start chat');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('ships English and German complete, with the same placeholders', () => {
    expect(supportedLocales).toEqual(['en', 'de']);
    const keys = (locale: string) => Object.keys(chatBoxStrings[locale]!).sort();
    expect(keys('de')).toEqual(keys('en'));
    for (const key of [...keys('en'), 'launcher.online', 'launcher.offline', 'launcher.unread']) {
      const placeholders = (locale: string) =>
        translate(locale, key)
          .match(/\{\w+\}/g)
          ?.sort() ?? [];
      expect(translate('de', key), key).not.toBe(key);
      expect(placeholders('de'), key).toEqual(placeholders('en'));
    }
  });

  it('never uses the word "closed" in any string', () => {
    for (const locale of supportedLocales)
      for (const text of Object.values(chatBoxStrings[locale]!)) expect(text).not.toMatch(/closed|geschlossen/i);
  });

  it('knows right-to-left scripts', () => {
    expect(['ar', 'he', 'fa-IR', 'ur', 'yi'].map(isRtlLocale)).toEqual([true, true, true, true, true]);
    expect(['en', 'de', 'fr-CA', 'arn'].map(isRtlLocale)).toEqual([false, false, false, false]);
  });
});
