'use client';

import { ROLES } from '@/lib/enums';
import { FieldError, InputField } from '@/app/_components/form-parts';
import { AdminForm, type AdminAction } from './admin-form';

/** "Create an account": code name and role; shows the invitation link once on success. */
export function CreateAccountForm({ action }: { action: AdminAction }) {
  return (
    <AdminForm action={action} submit="Create account">
      {(state) => {
        const roleErrors = state.fieldErrors?.role ?? [];
        return (
          <div className="grid-2">
            <div>
              <InputField
                id="new-code-name"
                name="codeName"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                maxLength={200}
                defaultValue={state.ok ? '' : (state.values?.codeName ?? '')}
                key={state.ok ? `done-${state.link?.codeName}` : `v-${state.values?.codeName ?? ''}-${state.messageKey ?? ''}`}
                label="Code name"
                hint="Never a legal name. 2–40 Latin letters, digits, “.”, “_” or “-”."
                errors={state.fieldErrors?.codeName ?? []}
              />
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
                <RoleOptions />
              </select>
              <FieldError id="new-role-error" messages={roleErrors} />
            </div>
          </div>
        );
      }}
    </AdminForm>
  );
}

function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {r}
    </option>
  ));
}

/** Change an account's role. */
export function ChangeRoleForm({ action, accountId, role }: { action: AdminAction; accountId: number; role: string }) {
  return (
    <AdminForm action={action} fields={{ accountId }} submit="Change role" variant="secondary">
      {() => (
        <>
          <label htmlFor="change-role">New role</label>
          <select id="change-role" name="role" defaultValue={role} key={role}>
            <RoleOptions />
          </select>
        </>
      )}
    </AdminForm>
  );
}
