import { describe, expect, it } from 'vitest';
import { renderSealedNotice, renderUnsealForm, typedFieldsOf } from './sealed-pages';

function form(entries: [string, string | Blob][]): FormData {
  const f = new FormData();
  for (const [name, value] of entries) f.append(name, value);
  return f;
}

describe('the sealed notice gives a partner back what they sent with scripts off', () => {
  it('keeps the text a person wrote, in order, and leaves out the form machinery, secrets, files and empty fields', () => {
    const fields = typedFieldsOf(
      form([
        ['$ACTION_REF_1', ''],
        ['$ACTION_1:0', '{"id":"abc"}'],
        ['clientId', '0b6c2a4e'],
        ['intent', 'submit'],
        ['title', 'Trucks at the ford'],
        ['narrative', 'Dozens of trucks\nafter sunset'],
        ['placeDetail', '   '],
        ['password', 'hunter2-hunter2'],
        ['recoveryCode', 'ABCD-EFGH'],
        ['photo', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' })],
        ['vehicles.0.colours', 'white, silver'],
      ]),
    );
    expect(fields).toEqual([
      { name: 'title', value: 'Trucks at the ford' },
      { name: 'narrative', value: 'Dozens of trucks\nafter sunset' },
      { name: 'vehicles.0.colours', value: 'white, silver' },
    ]);
  });

  it('shows each field escaped in a read-only box, and says nothing was saved', () => {
    const html = renderSealedNotice({ typed: [{ name: 'title"><script>', value: '</textarea><script>alert(1)</script>' }] });
    expect(html).toContain('Nothing you sent was saved');
    expect(html).toContain('readonly');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    expect(html).toContain('title&quot;&gt;&lt;script&gt;');
  });

  it('without a post, says nothing can be read or saved now; no page holds a script', () => {
    const html = renderSealedNotice();
    expect(html).toContain('Field Reports is paused');
    expect(html).toContain('Nothing can be read or saved now');
    expect(html).not.toMatch(/<script|<textarea/i);
    expect(renderUnsealForm({ message: '<b>x</b>' })).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
