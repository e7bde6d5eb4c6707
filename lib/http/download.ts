/**
 * Answers of the signed-in areas' download routes (the editors' export, the audit log's CSV;
 * issue 19 item 14): a file as an attachment, a short plain-text refusal, and the way to sign in.
 * None is ever cached: what they carry is private.
 */

/** A short plain-text answer a person reads where a file was expected (a refusal and its reason). */
export function plainTextAnswer(status: 400 | 403, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/** 303 to sign-in, which comes back to `url` (path and query) afterwards. */
export function signInRedirect(url: URL): Response {
  return Response.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`, url), 303);
}

/**
 * `body` as a download named `<fileStem>-<UTC date>.<extension>`, private and never stored by a cache.
 * @param contentType e.g. 'text/csv; charset=utf-8; header=present'
 */
export function attachmentAnswer(body: string, { contentType, fileStem, extension }: { contentType: string; fileStem: string; extension: string }): Response {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${fileStem}-${day}.${extension}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
