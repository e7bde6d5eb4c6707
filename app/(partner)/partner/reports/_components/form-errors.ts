/**
 * The partner's report form and react-hook-form's errors: reading them per field path, flattening
 * them for the error summary, and putting the server's messages beside the fields. Pure helpers
 * (no React); paths are dotted form paths ('vehicles.0.count'), a row section's own messages (the
 * row cap) sit on the section's path ('vehicles'), kept by react-hook-form under 'vehicles.root'.
 */
import type { FieldPath, UseFormSetError } from 'react-hook-form';
import { REPORT_ROW_SECTIONS, type ReportFieldErrors, type ReportFormValues } from '@/lib/reports/form-values';

type ErrorLike = { type?: unknown; message?: unknown; types?: Record<string, unknown> };

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).type === 'string';
}

/** Every message of one react-hook-form error (its message and, with criteriaMode 'all', its types). */
function messagesOf(error: unknown): string[] {
  if (!isErrorLike(error)) return [];
  const list: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
    if (Array.isArray(value)) value.forEach(add);
  };
  add(error.message);
  if (error.types) Object.values(error.types).forEach(add);
  return list;
}

function getAt(errors: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), errors);
}

/** The message keys react-hook-form holds for `path` (a row section's with its 'root' ones). */
export function clientErrorsAt(errors: unknown, path: string): string[] {
  const node = getAt(errors, path);
  const own = messagesOf(node);
  return path in REPORT_ROW_SECTIONS ? [...own, ...messagesOf(getAt(node, 'root'))] : own;
}

/** react-hook-form's nested errors → messages per dotted path (field-array 'root' errors on the array's path). */
export function flattenErrors(errors: unknown, prefix = '', out: ReportFieldErrors = {}): ReportFieldErrors {
  if (typeof errors !== 'object' || errors === null) return out;
  for (const [key, value] of Object.entries(errors)) {
    if (key === 'ref' || key === 'message' || key === 'type' || key === 'types') continue;
    const path = key === 'root' ? prefix : prefix ? `${prefix}.${key}` : key;
    const messages = messagesOf(value);
    if (messages.length > 0 && path !== '') out[path] = [...(out[path] ?? []), ...messages] as ReportFieldErrors[string];
    if (typeof value === 'object' && value !== null && key !== 'root') flattenErrors(value, path, out);
  }
  return out;
}

/** Puts the server's messages beside their fields (all of them, as react-hook-form 'types'). */
export function pushServerErrors(setError: UseFormSetError<ReportFormValues>, fieldErrors: ReportFieldErrors): void {
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const [first] = messages;
    if (!first) continue;
    const name = (path in REPORT_ROW_SECTIONS ? `${path}.root` : path) as FieldPath<ReportFormValues>;
    setError(name, { type: 'server', message: first, types: Object.fromEntries(messages.map((m, i) => [`server${i}`, m])) });
  }
}
