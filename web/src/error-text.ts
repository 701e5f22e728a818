import type { TFunction } from 'i18next';
import { ApiError } from './api';

/** A one-line, translated summary of why a call failed; the server's own message goes beside it. */
export function errorTitle(t: TFunction, e: unknown): string {
  if (!(e instanceof ApiError)) return t('errors.generic');
  switch (e.code) {
    case 'network':
      return t('errors.network');
    case 'unauthorized':
      return t('errors.unauthorized');
    case 'forbidden':
      return t('errors.forbidden');
    case 'invalid':
      return t('errors.invalid');
    case 'not_found':
      return t('errors.notFound');
    case 'conflict':
      return conflictTitle(t, e);
    case 'rate_limited':
      return e.retryAfter !== undefined
        ? t('errors.rateLimitedSeconds', { seconds: e.retryAfter })
        : t('errors.rateLimited');
    case 'unavailable':
      return t('errors.unavailable');
    default:
      return t('errors.generic');
  }
}

/**
 * The server refuses some changes with `conflict` and an explanation only in its message; the common ones
 * get their own translated title (the server's message is still shown beside it).
 */
function conflictTitle(t: TFunction, e: ApiError): string {
  if (/\blast admin\b/i.test(e.message)) return t('errors.lastAdmin');
  if (/\bdelete yourself\b/i.test(e.message)) return t('errors.cannotDeleteSelf');
  if (/\bmanaged by the configuration file\b/i.test(e.message)) return t('errors.managed');
  return t('errors.conflict');
}
