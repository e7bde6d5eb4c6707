import { describe, expect, it } from 'vitest';
import { ROLES } from '@/db/schema';
import { areaOfPath, canUseArea, isTwoFactorRequired, safeCallbackPath, ROLE_HOMES } from './roles';

describe('role rules', () => {
  it('lets each role use exactly its areas (admins also moderate)', () => {
    const table = Object.fromEntries(ROLES.map((r) => [r, (['partner', 'editor', 'admin'] as const).filter((a) => canUseArea(r, a))]));
    expect(table).toEqual({ partner: ['partner'], editor: ['editor'], admin: ['editor', 'admin'] });
  });

  it('sends each role home to an area it may use', () => {
    for (const role of ROLES) {
      const area = areaOfPath(ROLE_HOMES[role]);
      expect(area).not.toBeNull();
      expect(canUseArea(role, area!)).toBe(true);
    }
  });

  it('finds the area of a path without matching look-alike prefixes', () => {
    expect(areaOfPath('/partner/reports/1')).toBe('partner');
    expect(areaOfPath('/partners')).toBeNull();
    expect(areaOfPath('/reports')).toBeNull();
    expect(areaOfPath('/admin')).toBe('admin');
  });

  it('requires two-factor sign-in for editors and admins only', () => {
    expect(ROLES.filter(isTwoFactorRequired)).toEqual(['editor', 'admin']);
  });

  it('keeps callback paths on our origin', () => {
    expect(safeCallbackPath('/editor?status=submitted')).toBe('/editor?status=submitted');
    for (const bad of ['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/\u0000x', 42, null]) {
      expect(safeCallbackPath(bad)).toBeNull();
    }
  });

  it('refuses paths that dot segments turn into another host ("/.//evil.example" → "//evil.example")', () => {
    for (const bad of ['/.//evil.example', '/..//evil.example', '/partner/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example/x?y=1']) {
      expect(safeCallbackPath(bad), bad).toBeNull();
    }
    expect(safeCallbackPath('/partner/../editor')).toBe('/editor');
  });
});
