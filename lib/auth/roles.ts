/**
 * Role rules that are pure data (shared by the data layer, pages and tests). docs/product.md "Roles".
 */
import type { Role } from '@/db/enums';

/** Where each role lands after sign-in. */
export const ROLE_HOMES: Record<Role, string> = {
  partner: '/partner',
  editor: '/editor',
  admin: '/admin',
};

/** Which roles may use each signed-in audience's area (admins may also moderate). */
export const AREA_ROLES = {
  partner: ['partner'],
  editor: ['editor', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Area = keyof typeof AREA_ROLES;

/** True when `role` may use `area`. */
export function canUseArea(role: Role, area: Area): boolean {
  return (AREA_ROLES[area] as readonly Role[]).includes(role);
}

/** The signed-in area a path belongs to, or null for public and auth pages. */
export function areaOfPath(pathname: string): Area | null {
  for (const area of Object.keys(AREA_ROLES) as Area[]) {
    if (pathname === `/${area}` || pathname.startsWith(`/${area}/`)) return area;
  }
  return null;
}

/**
 * Roles that must sign in with a second factor: those of the editor area, editors and admins
 * (docs/security/README.md "Accounts and sessions": TOTP for editors and admins). Where an
 * account stands with it: lib/accounts/two-factor-state.ts.
 */
export function isTwoFactorRequired(role: Role): boolean {
  return canUseArea(role, 'editor');
}

/**
 * Keep a post-sign-in destination on our own origin: only absolute paths ("/x"), never
 * protocol-relative ("//evil") or backslash tricks. Returns null for anything else.
 */
export function safeCallbackPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 512) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  if (/[\u0000-\u001f]/.test(value)) return null;
  try {
    const url = new URL(value, 'http://origin.invalid');
    if (url.origin !== 'http://origin.invalid') return null;
    const path = url.pathname + url.search;
    // Dot segments can normalise '/.//evil.example' into '//evil.example', which browsers read as
    // another host: check the result again.
    return path.startsWith('//') ? null : path;
  } catch {
    return null;
  }
}
