import type en from './en.json';

// Makes every t('...') key a compile-time checked path into en.json; zh-CN.json must have the same keys
// (checked by the browser test suite).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
