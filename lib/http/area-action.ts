import 'server-only';
import { forbidden } from 'next/navigation';
import { getAccountWithRole, requireArea, type SessionAccount } from '@/lib/auth/session';
import { AREA_ROLES, type Area } from '@/lib/auth/roles';
import { isCallOfAccount, ownerHintOfForm, takeOwnerHint, type SignedOutReason } from '@/lib/auth/tab-owner';
import { formAction, stateFormAction, valueAction } from './server-action';

/**
 * The typed wrappers every Server Action of a signed-in area is made with (docs/style.md habit 2:
 * who is calling, may they, is the input valid, change, revalidate or redirect). Model:
 * nextjs/saas-starter `validatedActionWithUser`, typed, without its `any`.
 *
 * Each wrapper, in this order:
 * 1. the call's shape (lib/http/server-action.ts: one FormData, (state, FormData) or one value —
 *    anything else is answered `refused` without running the action);
 * 2. who calls and whether they may: the account, re-read from the database for this request
 *    (lib/auth/session.ts), must have a role of `AREA_ROLES[area]` (lib/auth/roles.ts);
 *    - without `signedOut`: `requireArea` — signed out → redirect to sign-in (and back), another
 *      role → 403;
 *    - with `signedOut`: the action answers that state instead (forms that must keep what was
 *      typed, autosave that must tell the browser to keep its copy);
 * 3. the partner area only: the call must carry the owner hint of the page it came from, and
 *    that must be the caller's (lib/auth/tab-owner.ts: a tab of another partner still open on a
 *    shared phone sends this session's cookie). Otherwise it is answered exactly like a call
 *    without a session (`signedOut`, told the reason 'otherAccount'; without `signedOut`, 403) and
 *    the body never runs. Form posts carry the hint as a field, scripted values as a key that is
 *    taken off before the body sees the value;
 * 4. the body gets `{ actor, … }` and hands the input to the data layer, which validates it with
 *    the form's zod schema and checks the actor's right to each object again (one home for each
 *    form's rules; docs/security/README.md "every read and write is checked in the data layer").
 *
 * lib/http/server-action.test.ts checks every exported Server Action of app/ is made by one of
 * SERVER_ACTION_WRAPPERS (these included).
 */

/**
 * The answer when the caller may not use the area: a state, or one built from the call and the
 * reason (no session of the area, or — partner area — a page rendered for another account).
 */
type SignedOutAnswer<State, Args extends unknown[]> = State | ((...args: [...Args, reason: SignedOutReason]) => State);

function answerFor<State, Args extends unknown[]>(answer: SignedOutAnswer<State, Args>, args: Args, reason: SignedOutReason): State {
  return typeof answer === 'function' ? (answer as (...a: [...Args, SignedOutReason]) => State)(...args, reason) : answer;
}

/** Whether the partner area's binding refuses this call: a partner call whose hint is not the actor's. */
function isOtherAccountsCall(area: Area, actor: SessionAccount, hint: unknown): boolean {
  return area === 'partner' && !isCallOfAccount({ accountId: actor.id, hint });
}

/** The caller if they may use `area`: via requireArea (redirect / 403) or null for `signedOut`. */
async function callerOf(area: Area, answersSignedOut: boolean): Promise<SessionAccount | null> {
  return answersSignedOut ? getAccountWithRole(AREA_ROLES[area]) : requireArea(area);
}

/**
 * A plain form action of `area` (`<form action={fn}>`), after requireArea.
 * @param area the signed-in area whose roles may call it ('partner' | 'editor' | 'admin')
 * @param body the action, given the caller and the FormData
 * @param options `signedOut` (optional): what a caller without an account of the area gets instead
 *   of requireArea's answers — a function that throws Next's answer (e.g. `forbidden`)
 */
export function areaFormAction(
  area: Area,
  body: (call: { actor: SessionAccount; formData: FormData }) => Promise<void>,
  options: { signedOut?: () => never } = {},
): (formData: FormData) => Promise<void> {
  return formAction(async (formData) => {
    const actor = await callerOf(area, options.signedOut !== undefined);
    if (!actor) return options.signedOut!();
    if (isOtherAccountsCall(area, actor, ownerHintOfForm(formData))) return (options.signedOut ?? forbidden)();
    return body({ actor, formData });
  });
}

/**
 * A `useActionState` action of `area`.
 * @param area the signed-in area whose roles may call it
 * @param options `refused`: the answer to a call our pages never make; `signedOut` (optional): the
 *   answer to a caller without an account of the area (else redirect to sign-in / 403)
 * @param body the action, given the caller, the previous state and the FormData
 */
export function areaStateAction<State>(
  area: Area,
  options: { refused: NoInfer<State>; signedOut?: SignedOutAnswer<NoInfer<State>, [previous: State, formData: FormData]> },
  body: (call: { actor: SessionAccount; previous: State; formData: FormData }) => Promise<State>,
): (previous: State, formData: FormData) => Promise<State> {
  return stateFormAction<State>(options.refused, async (previous, formData) => {
    const actor = await callerOf(area, options.signedOut !== undefined);
    if (!actor) return answerFor(options.signedOut as SignedOutAnswer<State, [State, FormData]>, [previous, formData], 'signedOut');
    if (isOtherAccountsCall(area, actor, ownerHintOfForm(formData))) {
      if (options.signedOut === undefined) forbidden();
      return answerFor(options.signedOut as SignedOutAnswer<State, [State, FormData]>, [previous, formData], 'otherAccount');
    }
    return body({ actor, previous, formData });
  });
}

/**
 * An action of `area` a script calls with one plain value (autosave); the body validates the value
 * (zod on `unknown`) through the data layer.
 * @param area the signed-in area whose roles may call it
 * @param options `refused` and optional `signedOut`, as for areaStateAction
 * @param body the action, given the caller and the value
 */
export function areaValueAction<Result>(
  area: Area,
  options: { refused: NoInfer<Result>; signedOut?: SignedOutAnswer<NoInfer<Result>, [value: unknown]> },
  body: (call: { actor: SessionAccount; value: unknown }) => Promise<Result>,
): (value: unknown) => Promise<Result> {
  return valueAction<Result>(options.refused, async (call) => {
    const { hint, value } = area === 'partner' ? takeOwnerHint(call) : { hint: null, value: call };
    const actor = await callerOf(area, options.signedOut !== undefined);
    if (!actor) return answerFor(options.signedOut as SignedOutAnswer<Result, [unknown]>, [value], 'signedOut');
    if (isOtherAccountsCall(area, actor, hint)) {
      if (options.signedOut === undefined) forbidden();
      return answerFor(options.signedOut as SignedOutAnswer<Result, [unknown]>, [value], 'otherAccount');
    }
    return body({ actor, value });
  });
}
