'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ROLES } from '@/lib/auth/roles';
import { INITIAL_ADMIN_STATE, type AdminActionState } from './action-state';

type Action = (prev: AdminActionState, formData: FormData) => Promise<AdminActionState>;

/** A one-time link, shown once: a read-only field to copy from, with its expiry. */
export function OneTimeLink({ link }: { link: NonNullable<AdminActionState['link']> }) {
  const id = `link-${link.codeName}`;
  return (
    <div className="notice ok">
      <label htmlFor={id}>One-time link for {link.codeName}</label>
      <input id={id} readOnly value={link.url} aria-describedby={`${id}-hint`} />
      <p className="field-hint" id={`${id}-hint`}>
        Copy it now and send it over a safe channel: it is shown only this once, works once, and expires{' '}
        {link.expiresAt.slice(0, 16).replace('T', ' ')} UTC.
      </p>
    </div>
  );
}

/** Result or refusal of an admin action, announced to screen readers. */
export function ActionResult({ state }: { state: AdminActionState }) {
  const t = useTranslations();
  if (state.messageKey) {
    const details = Object.values(state.fieldErrors ?? {}).flat();
    return (
      <div className="error-summary" role="alert">
        <p>{t(state.messageKey)}</p>
        {details.length ? (
          <ul>
            {details.map((m) => (
              <li key={m}>{t(m)}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  if (state.ok && state.done) {
    return (
      <>
        <p className="notice ok" role="status">
          {state.done}
        </p>
        {state.link ? <OneTimeLink link={state.link} /> : null}
      </>
    );
  }
  return null;
}

/** "Create an account": code name and role; shows the invitation link once on success. */
export function CreateAccountForm({ action }: { action: Action }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  const codeNameErrors = state.fieldErrors?.codeName ?? [];
  const roleErrors = state.fieldErrors?.role ?? [];
  return (
    <form action={formAction} noValidate>
      <ActionResult state={state} />
      <div className="grid-2">
        <div>
          <label htmlFor="new-code-name">Code name</label>
          <p className="field-hint" id="new-code-name-hint">
            Never a legal name. 2–40 Latin letters, digits, “.”, “_” or “-”.
          </p>
          <input
            id="new-code-name"
            name="codeName"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={200}
            defaultValue={state.ok ? '' : (state.values?.codeName ?? '')}
            key={state.ok ? `done-${state.link?.codeName}` : `v-${state.values?.codeName ?? ''}-${state.messageKey ?? ''}`}
            aria-invalid={codeNameErrors.length > 0 || undefined}
            aria-describedby={codeNameErrors.length ? 'new-code-name-hint new-code-name-error' : 'new-code-name-hint'}
          />
          {codeNameErrors.length ? (
            <p className="field-error" id="new-code-name-error">
              {codeNameErrors.map((m) => t(m)).join(' ')}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="new-role">Role</label>
          <select
            id="new-role"
            name="role"
            defaultValue={state.ok ? 'partner' : (state.values?.role ?? 'partner')}
            key={state.ok ? 'role-done' : `role-${state.values?.role ?? ''}`}
            aria-invalid={roleErrors.length > 0 || undefined}
            aria-describedby={roleErrors.length ? 'new-role-error' : undefined}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {roleErrors.length ? (
            <p className="field-error" id="new-role-error">
              {roleErrors.map((m) => t(m)).join(' ')}
            </p>
          ) : null}
        </div>
      </div>
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          Create account
        </button>
      </div>
    </form>
  );
}

/**
 * One button acting on one account (deactivate, reactivate, reset link, reset 2FA). Pages render
 * it always and pass `available`: after a change makes the action unavailable, the component stays
 * mounted so its result (and a one-time link) remains on screen, with or without JavaScript.
 */
export function AccountActionButton({
  action,
  accountId,
  label,
  explanation,
  available = true,
  variant = 'secondary',
}: {
  action: Action;
  accountId: number;
  label: string;
  explanation?: string;
  available?: boolean;
  variant?: 'secondary' | 'danger';
}) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  if (!available) return state.ok ? <ActionResult state={state} /> : null;
  return (
    <form action={formAction}>
      <ActionResult state={state} />
      <input type="hidden" name="accountId" value={accountId} />
      {explanation ? <p className="field-hint">{explanation}</p> : null}
      <button type="submit" className={variant} disabled={isPending}>
        {label}
      </button>
    </form>
  );
}

/** Change an account's role. */
export function ChangeRoleForm({ action, accountId, role }: { action: Action; accountId: number; role: string }) {
  const [state, formAction, isPending] = useActionState(action, INITIAL_ADMIN_STATE);
  return (
    <form action={formAction}>
      <ActionResult state={state} />
      <input type="hidden" name="accountId" value={accountId} />
      <label htmlFor="change-role">New role</label>
      <select id="change-role" name="role" defaultValue={role} key={role}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          Change role
        </button>
      </div>
    </form>
  );
}
