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
      return t('errors.conflict');
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
