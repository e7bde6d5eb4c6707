import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BODY_BYTES } from './outcomes';
import { MAX_PHOTO_BYTES } from './rules';
import { readCappedBody, readUploadForm } from './upload-request';

const URL_ = 'http://localhost/partner/reports/1/photos/upload';

/** A body stream of `total` bytes in 64 KiB chunks that counts how much of it was pulled. */
function countingStream(total: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const size = Math.min(64 * 1024, total - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, pulled: () => pulled };
}

function streamedRequest(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request(URL_, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit & { duplex: 'half' });
}

describe('readCappedBody', () => {
  it('refuses a declared length over the cap without reading the body', async () => {
    const body = countingStream(5 * 1024 * 1024);
    const result = await readCappedBody(streamedRequest(body.stream, { 'content-length': String(5 * 1024 * 1024) }), 1024 * 1024);
    expect(result).toEqual({ ok: false, reason: 'too_large' });
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024); // at most what the stream buffered ahead
  });

  it('stops reading a body without a length as soon as it passes the cap', async () => {
    const body = countingStream(50 * 1024 * 1024);
    const result = await readCappedBody(streamedRequest(body.stream), 1024 * 1024);
    expect(result).toEqual({ ok: false, reason: 'too_large' });
    expect(body.pulled()).toBeLessThan(2 * 1024 * 1024);
  });

  it('calls a body shorter than its declared length incomplete, and reads an honest one whole', async () => {
    const short = countingStream(1000);
    expect(await readCappedBody(streamedRequest(short.stream, { 'content-length': '5000' }), 10_000)).toEqual({ ok: false, reason: 'incomplete' });
    const whole = countingStream(5000);
    const result = await readCappedBody(streamedRequest(whole.stream, { 'content-length': '5000' }), 10_000);
    expect(result.ok && result.bytes.byteLength).toBe(5000);
  });
});

describe('readUploadForm', () => {
  function formRequest(form: FormData) {
    return new Request(URL_, { method: 'POST', body: form });
  }

  it('reads the photo and the caption', async () => {
    const form = new FormData();
    form.append('photo', new File([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], 'x.jpg', { type: 'image/jpeg' }));
    form.append('caption', 'River at dusk');
    const result = await readUploadForm(formRequest(form));
    expect(result).toMatchObject({ ok: true, caption: 'River at dusk' });
    expect(result.ok && [...result.file]).toEqual([0xff, 0xd8, 0xff, 1, 2, 3]);
  });

  it('refuses a form with no file chosen, and a body that is not multipart', async () => {
    const form = new FormData();
    form.append('photo', new File([], '', { type: 'application/octet-stream' }));
    expect(await readUploadForm(formRequest(form))).toEqual({ ok: false, code: 'no_file' });
    const json = new Request(URL_, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(await readUploadForm(json)).toEqual({ ok: false, code: 'no_file' });
  });

  it('keeps an empty file that has a name (the data layer names it "empty")', async () => {
    const form = new FormData();
    form.append('photo', new File([], 'blank.jpg'));
    expect(await readUploadForm(formRequest(form))).toMatchObject({ ok: true, caption: '' });
  });

  it('refuses a file over 10 MB as too large, and a cut-off multipart body as incomplete', async () => {
    const big = new FormData();
    big.append('photo', new File([new Uint8Array(MAX_PHOTO_BYTES + 1)], 'big.jpg'));
    expect(await readUploadForm(formRequest(big))).toEqual({ ok: false, code: 'too_large' });
    expect(MAX_UPLOAD_BODY_BYTES).toBeGreaterThan(MAX_PHOTO_BYTES);

    const form = new FormData();
    form.append('photo', new File([new Uint8Array(4000)], 'x.jpg'));
    const full = new Uint8Array(await new Request(URL_, { method: 'POST', body: form }).arrayBuffer());
    const contentType = new Request(URL_, { method: 'POST', body: form }).headers.get('content-type')!;
    const cut = new Request(URL_, { method: 'POST', body: full.slice(0, 2000), headers: { 'content-type': contentType } });
    expect(await readUploadForm(cut)).toEqual({ ok: false, code: 'incomplete' });
  });

  it('reads the client photo id in lower case; none is null; one that is not a UUID is refused', async () => {
    const withId = (clientId: string | null) => {
      const form = new FormData();
      if (clientId !== null) form.append('clientId', clientId);
      form.append('photo', new File([new Uint8Array([0xff, 0xd8, 0xff])], 'x.jpg'));
      return readUploadForm(formRequest(form));
    };
    expect(await withId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toMatchObject({ ok: true, clientId: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(await withId(null)).toMatchObject({ ok: true, clientId: null });
    expect(await withId('')).toMatchObject({ ok: true, clientId: null });
    for (const bad of ['1', '0f8fad5b-d9cb-469f-a165-70867728950', '0f8fad5b_d9cb_469f_a165_70867728950e', 'x'.repeat(5000)]) {
      expect(await withId(bad), bad).toEqual({ ok: false, code: 'incomplete' });
    }
  });
});
