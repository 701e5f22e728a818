import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where an explicit choice from the language switch is kept; without one the browser's locale decides. */
export const LANGUAGE_STORAGE_KEY = 'watchpost.language';

/** Any Chinese locale (zh, zh-CN, zh-TW, zh-Hans...) gets the zh-CN texts; everything else English. */
export function toLanguage(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function currentLanguage(): Language {
  return toLanguage(i18n.resolvedLanguage ?? i18n.language);
}

export function chooseLanguage(lng: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Storage may be disabled (private mode, policy); the choice then lasts for this page only.
  }
  void i18n.changeLanguage(lng);
}

function reflectInDocument(lng: string): void {
  document.documentElement.lang = toLanguage(lng);
  document.title = i18n.t('app.name');
}

i18n.on('languageChanged', reflectInDocument);

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    load: 'currentOnly',
    showSupportNotice: false,
    interpolation: { escapeValue: false }, // React escapes already.
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      // Only an explicit switch is remembered (chooseLanguage); a detected locale is re-detected each visit.
      caches: [],
      convertDetectedLanguage: toLanguage,
    },
  });

export default i18n;
