import { describe, expect, it } from 'vitest';
import { newClientPhotoId, parseClientPhotoId } from './client-id';

describe('client photo ids', () => {
  it('are random version-4 UUIDs that parse back unchanged', () => {
    const ids = Array.from({ length: 1000 }, newClientPhotoId);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseClientPhotoId(id)).toEqual({ ok: true, clientId: id });
    }
  });

  it('accept a UUID of any version in either case, and nothing else', () => {
    expect(parseClientPhotoId('6BA7B810-9DAD-11D1-80B4-00C04FD430C8')).toEqual({ ok: true, clientId: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' });
    expect(parseClientPhotoId(undefined)).toEqual({ ok: true, clientId: null });
    expect(parseClientPhotoId('')).toEqual({ ok: true, clientId: null });
    for (const bad of [42, {}, 'not-a-uuid', '6ba7b810-9dad-11d1-80b4-00c04fd430c', '6ba7b810-9dad-11d1-80b4-00c04fd430c8 ', 'g'.repeat(36)]) {
      expect(parseClientPhotoId(bad)).toEqual({ ok: false });
    }
  });
});
