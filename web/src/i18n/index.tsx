// The language of the interface: English, Spanish or Portuguese. The choice is
// kept in localStorage; the first visit follows navigator.languages. `t()`
// looks a key up in the current catalog and fills {placeholders}.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { en, type Catalog, type MessageKey } from './en';
import { es } from './es';
import { pt } from './pt';
import { ApiError } from '../api';

export type Locale = 'en' | 'es' | 'pt';
export const LOCALES: { code: Locale; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'es', label: 'Español' },
  { code: 'pt', label: 'Português' },
];
const CATALOGS: Record<Locale, Catalog> = { en, es, pt };
// Regional formats for numbers, money and dates.
const FORMAT_LOCALE: Record<Locale, string> = { en: 'en-GB', es: 'es-ES', pt: 'pt-PT' };
const STORAGE_KEY = 'agora.locale';

export function isLocale(s: unknown): s is Locale {
  return s === 'en' || s === 'es' || s === 'pt';
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage may be disabled; fall through to the browser's languages.
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const base = (l || '').slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  formatLocale: string;
  setLocale: (l: Locale) => void;
  t: Translate;
  // A message for a failed API call: the catalog's text for its problem `code`.
  // `overrides` maps a code to a message fitting the page (e.g. a duplicate application).
  errorText: (e: unknown, overrides?: Partial<Record<string, string>>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const cat = CATALOGS[locale];
    const t: Translate = (key, vars) => {
      let s: string = cat[key] ?? en[key] ?? key;
      if (vars) {
        for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
      }
      return s;
    };
    const errorText = (e: unknown, overrides?: Partial<Record<string, string>>) => {
      if (!(e instanceof ApiError)) return t('common.error');
      const override = overrides?.[e.code];
      if (override) return override;
      // The field's own message first ("/email" -> error.duplicate.email), then the code's.
      const field = e.field ? e.field.replace(/^\//, '').replace(/\//g, '.') : '';
      for (const key of [field && `error.${e.code}.${field}`, `error.${e.code}`]) {
        if (key && key in cat) return t(key as MessageKey);
      }
      return e.detail || t('common.error');
    };
    return { locale, formatLocale: FORMAT_LOCALE[locale], setLocale, t, errorText };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
