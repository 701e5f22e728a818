import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, toLanguage, type Language } from '../i18n';

/** Switches the UI language and remembers the choice in localStorage. Each language is named in itself. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      data-testid="language-switch"
      aria-label={t('language.label')}
      value={toLanguage(i18n.resolvedLanguage ?? i18n.language)}
      onChange={chooseLanguage}
      options={[
        { value: 'zh-CN', label: <span data-testid="language-zh-CN">{t('language.zh-CN')}</span> },
        { value: 'en', label: <span data-testid="language-en">{t('language.en')}</span> },
      ]}
    />
  );
}
