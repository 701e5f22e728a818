import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { toLanguage } from '../i18n';

/** Keeps dayjs's locale (date pickers' and calendars' month and weekday names, first day of the week) on the UI language. */
export function useDayjsLocale(): void {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  useEffect(() => {
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);
}
