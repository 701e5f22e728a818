// Building blocks shared by schema.ts and alertmanager.schema.ts (kept apart so that neither
// imports the other in a cycle).

import Type, { type TProperties } from 'typebox';

/** Prometheus label names, as in kernel/labels.ts. */
export const LABEL_NAME_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';
export const HTTP_URL_MESSAGE = 'must be an http(s) URL';
export const DURATION_MESSAGE = 'must be a duration such as 30s, 5m, 1h or 7d';

/** A section: a mapping that rejects unknown keys and is filled with defaults when left out. */
export const section = <P extends TProperties>(properties: P, description: string) =>
  Type.Object(properties, { additionalProperties: false, default: {}, description });

export const HttpUrl = (description: string, options: { default?: string } = {}) =>
  Type.String({
    pattern: '^https?://[^\\s/?#]+\\S*$',
    errorMessage: HTTP_URL_MESSAGE,
    description,
    ...options,
  });

/** A Prometheus-style duration string; load.ts parses it with kernel/duration.ts and reports why not. */
export const Duration = (defaultValue: string, description: string) =>
  Type.String({ minLength: 1, default: defaultValue, errorMessage: DURATION_MESSAGE, description });

/** A duration with no default, for settings inherited from an enclosing level when left out. */
export const OptionalDuration = (description: string) =>
  Type.Optional(Type.String({ minLength: 1, errorMessage: DURATION_MESSAGE, description }));

/** A label name, with the sentence load.ts reports for a bad one. */
export const LabelName = (description: string) =>
  Type.String({
    pattern: LABEL_NAME_PATTERN,
    errorMessage: `is not a valid label name: it must match ${LABEL_NAME_PATTERN}`,
    description,
  });
