import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en';
import { type Messages, vi } from './vi';

export type Language = 'vi' | 'en';
const MESSAGES: Record<Language, Messages> = { vi, en };
// Only the language choice is remembered on the device: never any tip or user data.
const STORAGE_KEY = 'tinbao.lang';

interface I18nValue {
  lang: Language;
  t: Messages;
  setLang(lang: Language): void;
  formatDateTime(value: string | Date): string;
  formatDate(value: string | Date): string;
  formatNumber(value: number): string;
}

const I18nContext = createContext<I18nValue | null>(null);

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Language) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18nValue>(() => {
    const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(locale);
    return {
      lang,
      t: MESSAGES[lang],
      setLang,
      formatDateTime: (value) => dateTime.format(new Date(value)),
      formatDate: (value) => date.format(new Date(value)),
      formatNumber: (value) => number.format(value),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
