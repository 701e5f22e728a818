import type { FormInstance } from 'antd';
import { ApiError } from './api';

/** A JSON pointer (`/members/2/username`) as a form field path (`['members', 2, 'username']`). */
function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows each server error detail whose JSON pointer names one of `fields` under that form field.
 * Returns the error still worth showing above the form, or null when every detail found its field.
 *
 * A detail is placed under the top-level field its pointer starts with (`/labels/env` → `labels`), except
 * for the fields in `deep`, form lists whose rows have their own fields: there the whole pointer is the
 * field (`/members/2/username` → `['members', 2, 'username']`).
 */
export function placeFieldErrors(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  deep: readonly string[] = [],
): unknown {
  if (!(error instanceof ApiError) || error.details.length === 0) return error;
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  let unplaced = 0;
  for (const d of error.details) {
    const path = pointerToPath(d.path);
    const top = path[0];
    if (typeof top !== 'string' || !(fields.includes(top) || deep.includes(top))) {
      unplaced++;
      continue;
    }
    const name = deep.includes(top) && path.length > 1 ? path : [top];
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(d.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return unplaced === 0 ? null : error;
}
