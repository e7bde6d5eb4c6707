/**
 * Refuse malformed Server Action calls with 400 before Next.js runs them (issue 9: "malformed
 * bodies … never a 500"). Next.js answers 500 when a call's body cannot be decoded (bad
 * multipart, a JSON or text body where React sends multipart) or when the action itself throws
 * because an argument is not what the browser would send (a string where a FormData belongs, a
 * no-script post naming a useActionState action with `$ACTION_ID_`). Those calls never come from
 * our pages, so proxy.ts checks them here and answers 400 instead.
 *
 * The wire format is React's encodeReply (react-server-dom): a multipart body whose field '0' is
 * the JSON array of arguments (a FormData argument is "$K<n>", its fields prefixed `_<n>_`), or a
 * text/plain body holding that JSON when no argument is a FormData. A no-script post is multipart
 * with `$ACTION_ID_<id>` (a plain form action) or `$ACTION_REF_<n>` (useActionState) fields.
 */
import type { ActionShape } from './action-shapes';

export type ActionRequestVerdict = { ok: true } | { ok: false; reason: string };

const OK: ActionRequestVerdict = { ok: true };
const refuse = (reason: string): ActionRequestVerdict => ({ ok: false, reason });

function parseArgs(raw: unknown): unknown[] | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function argsFit(args: unknown[], shape: ActionShape | null): boolean {
  const last = args.at(-1);
  const isFormRef = typeof last === 'string' && /^\$K\d+$/.test(last);
  switch (shape) {
    case 'form':
      return args.length === 1 && isFormRef;
    case 'state-form':
      return args.length === 2 && isFormRef && typeof args[0] === 'object' && args[0] !== null;
    case 'values':
    case null:
      return true;
  }
}

/**
 * Check a POST before it reaches a page (where Next.js would treat it as a Server Action call).
 * Only POSTs with a `Next-Action` header or a multipart body are read; everything else passes.
 * @param request a request whose body may be consumed (pass a clone)
 * @param shapeOf the shape of an action id (null when unknown: only the body is checked)
 */
export async function checkActionRequest(request: Request, shapeOf: (actionId: string) => ActionShape | null): Promise<ActionRequestVerdict> {
  if (request.method !== 'POST') return OK;
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
  const actionId = request.headers.get('next-action');
  const isMultipart = contentType.startsWith('multipart/form-data');
  if (actionId === null && !isMultipart) return OK;

  if (actionId !== null) {
    if (!/^[0-9a-f]{2,128}$/i.test(actionId)) return refuse('malformed action id');
    const shape = shapeOf(actionId);
    if (isMultipart) {
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return refuse('malformed multipart body');
      }
      const args = parseArgs(form.get('0'));
      if (!args) return refuse('no argument list');
      return argsFit(args, shape) ? OK : refuse('arguments do not fit the action');
    }
    if (contentType !== '' && !contentType.startsWith('text/plain')) return refuse('unexpected content type');
    const args = parseArgs(await request.text());
    if (!args) return refuse('no argument list');
    // React sends a text body only when no argument is a FormData.
    return shape === null || shape === 'values' ? OK : refuse('a form action called without its form');
  }

  // A multipart post without Next-Action: a no-script form (or an upload to a route handler).
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return refuse('malformed multipart body');
  }
  for (const name of form.keys()) {
    if (name.startsWith('$ACTION_ID_')) {
      const shape = shapeOf(name.slice('$ACTION_ID_'.length));
      if (shape !== null && shape !== 'form') return refuse('this action takes its previous state');
    }
  }
  return OK;
}
