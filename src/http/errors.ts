import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, ErrorDetail } from '../kernel/errors.js';
import { DomainError, isDomainError } from '../kernel/errors.js';

// The one place where failures become HTTP statuses. Every error body has the same shape:
// { "error": { "code": "...", "message": "...", "details": [{ "path": "/field", "message": "..." }] } }

export const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode | 'too_large' | 'internal'; message: string; details: ErrorDetail[] };
}

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/**
 * Turns Ajv's findings into one detail per field, with the JSON pointer of the field. The branch
 * errors of an `anyOf` (a nullable field, say) are merged into one sentence for that field.
 */
export function validationDetails(errors: AjvError[], context: string): ErrorDetail[] {
  const details = errors.map((e) => {
    let path = e.instancePath || '';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`;
      message = 'required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`;
      message = 'unknown field: remove it';
    } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
      message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
    }
    return {
      path: context === 'body' ? path || '/' : `${context}:${path || '/'}`,
      message,
      anyOf: e.keyword === 'anyOf',
    };
  });
  const merged: ErrorDetail[] = [];
  for (const d of details) {
    const branches = details.filter((x) => x.path === d.path);
    if (!branches.some((x) => x.anyOf)) {
      merged.push({ path: d.path, message: d.message });
      continue;
    }
    if (merged.some((m) => m.path === d.path)) continue;
    const parts = branches
      .filter((x) => !x.anyOf)
      .map((x, i) => (i === 0 ? x.message : x.message.replace(/^must be /, '')));
    merged.push({ path: d.path, message: parts.join(' or ') || d.message });
  }
  return merged;
}

export function errorBody(
  code: ErrorBody['error']['code'],
  message: string,
  details: ErrorDetail[] = [],
): ErrorBody {
  return { error: { code, message, details } };
}

export function handleError(
  err: FastifyError | DomainError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  if (isDomainError(err)) {
    if (err.retryAfter !== undefined) void reply.header('retry-after', String(Math.ceil(err.retryAfter)));
    void reply.status(STATUS[err.code]).send(errorBody(err.code, err.message, err.details));
    return;
  }
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation) {
    const details = validationDetails(fe.validation, fe.validationContext ?? 'body');
    const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    void reply
      .status(400)
      .send(errorBody('invalid', `invalid request ${fe.validationContext ?? 'body'}: ${summary}`, details));
    return;
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply
      .status(413)
      .send(
        errorBody(
          'too_large',
          `request body is larger than the server's limit (server.body_limit): send less per request`,
        ),
      );
    return;
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    void reply
      .status(415)
      .send(
        errorBody(
          'invalid',
          `unsupported content type ${String(req.headers['content-type'])}: send application/json`,
        ),
      );
    return;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, empty JSON body, bad URL encoding.
    void reply.status(fe.statusCode).send(errorBody('invalid', fe.message));
    return;
  }
  req.log.error({ err }, 'request failed');
  void reply.status(500).send(errorBody('internal', 'internal error: see the server log for details'));
}

export const rateLimited = (retryAfterSeconds: number): DomainError =>
  new DomainError('rate_limited', `too many attempts: wait ${Math.ceil(retryAfterSeconds)} s and try again`, {
    retryAfter: retryAfterSeconds,
  });
