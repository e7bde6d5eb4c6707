/**
 * Wrappers every exported Server Action goes through (issue 16 item 11; docs/security/README.md
 * "Request limits"). A Server Action is a public POST endpoint: anyone can call it with any
 * arguments React can encode — a string where our form sends a FormData, no arguments, three. The
 * actions' own code reads `formData.get(…)` and would throw on those, which Next.js answers with
 * 500. Our pages call each action in exactly one way, so a call that does not have that shape is
 * refused here with the action's ordinary "failed" answer, before the action runs, without reading
 * React's wire format: only the decoded arguments are looked at.
 *
 * Usage in a 'use server' file (Next.js accepts any exported value that is a function):
 * `export const saveAction = stateFormAction(REFUSED, async (previous: State, formData: FormData) => { … });`
 * lib/http/server-action.test.ts checks every exported Server Action of app/ is wrapped.
 *
 * Each wrapper first marks the request's action as started (lib/http/action-call-context.ts): from
 * then on a 500 is ours (a bug, visible as such); before it, a 500 means React's decoder threw on
 * the call's arguments and the app's server answers 400 instead (lib/server/malformed-action-call.ts).
 */
import { markActionStarted } from './action-call-context';


/** True for a FormData as React decodes one (Node's global FormData). */
function isFormData(value: unknown): value is FormData {
  return value instanceof FormData;
}

/** True for what React hands an action as its previous state: an object (our states all are). */
function isStateObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isFormData(value);
}

/**
 * A plain form action, `<form action={fn}>`: called with exactly one FormData. Any other call
 * (no argument, a string, a second argument) returns without running the action; with scripts off
 * Next.js then renders the page as it is.
 * @param action the action body
 * @returns the Server Action to export
 */
export function formAction(action: (formData: FormData) => Promise<void>): (formData: FormData) => Promise<void> {
  return async (...args: unknown[]): Promise<void> => {
    markActionStarted();
    const [formData] = args;
    if (args.length !== 1 || !isFormData(formData)) return;
    return action(formData);
  };
}

/**
 * A `useActionState` action: called with the previous state (an object) and a FormData, exactly
 * as React's client and a no-script post of the same form send them. Any other call returns
 * `refused` — the form's own "failed" state, with a generic message — without running the action.
 * @param refused the state answered to a call our pages never make
 * @param action the action body
 * @returns the Server Action to export
 */
export function stateFormAction<State>(refused: NoInfer<State>, action: (previous: State, formData: FormData) => Promise<State>): (previous: State, formData: FormData) => Promise<State> {
  return async (...args: unknown[]): Promise<State> => {
    markActionStarted();
    const [previous, formData] = args;
    if (args.length !== 2 || !isStateObject(previous) || !isFormData(formData)) return refused;
    return action(previous as State, formData);
  };
}

/**
 * An action a script calls with one plain value (autosave), which the action validates itself
 * (zod on `unknown`). Any other number of arguments, or a FormData, returns `refused`.
 * @param refused the answer to a call our pages never make
 * @param action the action body
 * @returns the Server Action to export
 */
export function valueAction<Result>(refused: NoInfer<Result>, action: (value: unknown) => Promise<Result>): (value: unknown) => Promise<Result> {
  return async (...args: unknown[]): Promise<Result> => {
    markActionStarted();
    if (args.length !== 1 || isFormData(args[0])) return refused;
    return action(args[0]);
  };
}

/**
 * The names of the wrappers above and of their signed-in-area forms in lib/http/area-action.ts
 * (lib/http/server-action.test.ts reads action files for them).
 */
export const SERVER_ACTION_WRAPPERS = ['formAction', 'stateFormAction', 'valueAction', 'areaFormAction', 'areaStateAction', 'areaValueAction'] as const;
