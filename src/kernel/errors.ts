/** The closed set of failure kinds a service may report; transports map each to a status or exit code. */
export type ErrorCode =
  'not_found' | 'conflict' | 'invalid' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'unavailable';

/** One problem with one field: `path` is a JSON pointer into a request body or a dotted config path. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * A failure a user can act on. `message` says what was wrong and what to do; `details` lists every
 * offending field so a form or a config file can be fixed in one pass.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** Seconds after which a retry may succeed (rate_limited, unavailable). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, opts: { details?: ErrorDetail[]; retryAfter?: number } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = opts.details ?? [];
    this.retryAfter = opts.retryAfter;
  }
}

export const notFound = (what: string, id: string | number): DomainError =>
  new DomainError('not_found', `${what} ${JSON.stringify(String(id))} does not exist`);

export const invalid = (path: string, message: string): DomainError =>
  new DomainError('invalid', `${path}: ${message}`, { details: [{ path, message }] });

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
