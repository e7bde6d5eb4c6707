/**
 * What the app's HTTP server knows of one POST while Next.js answers it: whether it is a Server
 * Action call, and whether one of our actions has begun to run (issue 16 item 11; docs/security/
 * README.md "Request limits"). server.ts (lib/server/malformed-action-call.ts) runs Next's handler
 * inside this context; the Server Action wrappers (lib/http/server-action.ts) mark the start first
 * thing; proxy.ts marks a no-script form's action call. When Next is about to answer 500 for an
 * action call in which no action started, React's decoder threw on the arguments: the server
 * answers 400 instead.
 *
 * One AsyncLocalStorage for the whole process, kept on globalThis under a registered symbol: Next's
 * server bundles (actions, proxy) hold their own copies of this module, and server.ts loads
 * another through tsx, so a module-level instance would be three stores that never meet. No
 * 'server-only' import: server.ts loads this outside Next's bundle.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The state of one POST, changed in place by the marks below. */
export type ActionCallState = {
  /** a Server Action call: `Next-Action` header (set by server.ts) or a `$ACTION_` field (set by proxy.ts) */
  actionCall: boolean;
  /** one of our Server Actions began to run (set by the wrappers of lib/http/server-action.ts) */
  actionStarted: boolean;
};

const STORE_KEY = Symbol.for('field-reports.action-call-context');
const registry = globalThis as unknown as Record<typeof STORE_KEY, AsyncLocalStorage<ActionCallState> | undefined>;

/** The process's one store (made by whichever copy of this module loads first). */
export const actionCallContext: AsyncLocalStorage<ActionCallState> = (registry[STORE_KEY] ??= new AsyncLocalStorage<ActionCallState>());

/** Record that one of our Server Actions began to run (a no-op outside a request the server tracks). */
export function markActionStarted(): void {
  const state = actionCallContext.getStore();
  if (state) state.actionStarted = true;
}

/** Record that this request is a Server Action call although it has no `Next-Action` header. */
export function markActionCall(): void {
  const state = actionCallContext.getStore();
  if (state) state.actionCall = true;
}
