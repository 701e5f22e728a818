import type { FormInstance } from 'antd';
import { ApiError } from './api';

/**
 * Shows each server error detail whose JSON pointer names one of `fields` under that form field.
 * Returns the error still worth showing above the form, or null when every detail found its field.
 */
export function placeFieldErrors(form: FormInstance, error: unknown, fields: readonly string[]): unknown {
  if (!(error instanceof ApiError) || error.details.length === 0) return error;
  const field = (path: string) => path.replace(/^\//, '').split('/')[0] ?? '';
  const placed = error.details.filter((d) => fields.includes(field(d.path)));
  form.setFields(placed.map((d) => ({ name: field(d.path), errors: [d.message] })));
  return placed.length === error.details.length ? null : error;
}
