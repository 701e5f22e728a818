import { Type } from 'typebox';
import type { TSchema } from 'typebox';

/** Epoch milliseconds as the ISO-8601 strings the API speaks; null stays null. */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
    }),
  },
  { $id: 'Error' },
);

/** The error answers every authenticated route can give, for the OpenAPI document. */
export const errors = (...codes: number[]): Record<number, TSchema> =>
  Object.fromEntries([400, 401, 403, ...codes].map((c) => [c, ErrorSchema]));

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
