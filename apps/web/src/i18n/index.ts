import i18next, { type TOptions } from 'i18next';
import { useCallback } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { type Locale, type MessageKey, en, sv } from './messages.js';

export type { Locale, MessageKey } from './messages.js';

/** `hits_one` and `hits_other` are used as `hits`; a key like `kind_other` without a `_one` sibling stays as it is. */
type StripPlural<K extends string> = K extends `${infer Base}_one` ? Base : K extends `${infer Base}_other` ? (`${Base}_one` extends MessageKey ? Base : K) : K;
/** A message key as code uses it: plural forms by their base name, chosen by `count`. */
export type TKey = StripPlural<MessageKey>;
export type Translate = (key: TKey, options?: TOptions) => string;

/** Swedish first; the signed-in user's own language replaces it (see `useLanguage`). */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng: 'sv',
  fallbackLng: 'sv',
  supportedLngs: ['sv', 'en'],
  // React escapes text itself; i18next must not double-escape names such as "Åsa & Co".
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLocale(): Locale {
  return i18n.language === 'en' ? 'en' : 'sv';
}

export async function changeLocale(locale: Locale): Promise<void> {
  await i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
}

/** `t` with the catalogue's keys (plurals by base name) and the current locale. */
export function useT(): { t: Translate; locale: Locale } {
  const { t, i18n: instance } = useTranslation();
  const plain = t as unknown as (key: string, options?: TOptions) => string;
  const translate = useCallback<Translate>((key, options) => plain(key, options), [plain]);
  return { t: translate, locale: instance.language === 'en' ? 'en' : 'sv' };
}
