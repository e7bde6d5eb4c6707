/**
 * The two pages a sealed server shows (docs/security/encryption-at-rest.md): the notice every
 * request gets (503 with Retry-After), and the unseal form. Plain HTML strings with no script and
 * no data from the database (there is none to read while sealed), in English and Korean, readable
 * at 360 px. No import of the app's layout: rendering it would read sessions from the database.
 */

/** Seconds a sealed server asks clients to wait before trying again. */
export const SEALED_RETRY_AFTER_SECONDS = 300;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",sans-serif;margin:0;padding:1.5rem 1rem;line-height:1.5;color:#1a1a1a;background:#fafafa}main{max-width:34rem;margin:0 auto}h1{font-size:1.4rem;margin:0 0 .75rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}p{margin:.5rem 0}label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;font-size:1rem;padding:.6rem;border:1px solid #767676;border-radius:4px}button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #1a1a1a;background:#1a1a1a;color:#fff}.error{border-left:4px solid #b00020;padding:.25rem .75rem;background:#fff}`;

function page({ title, body, lang = 'en' }: { title: string; body: string; lang?: string }): string {
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The notice for every page, action and API call while sealed. */
export function renderSealedNotice(): string {
  return page({
    title: 'Field Reports is paused',
    body: `<h1>Field Reports is paused</h1>
<p>The service is locked and reads or writes nothing until the newsroom unlocks it. Please try again later.</p>
<p><strong>Nothing you typed was sent.</strong> It stays on this device: go back to your report to find it, and keep the page open or save it again once the service is back.</p>
<h2 lang="ko">Field Reports 일시 중지</h2>
<p lang="ko">서비스가 잠겨 있어 편집국이 잠금을 풀 때까지 아무것도 읽거나 저장하지 않습니다. 잠시 후 다시 시도해 주십시오.</p>
<p lang="ko"><strong>입력하신 내용은 전송되지 않았습니다.</strong> 이 기기에 남아 있습니다. 보고서로 돌아가면 그대로 있으니, 페이지를 닫지 말고 서비스가 돌아오면 다시 저장해 주십시오.</p>`,
  });
}

/**
 * The unseal form (a plain form posting to /unseal; works without scripts).
 * @param message an error to show above the field (escaped), e.g. a wrong passphrase
 */
export function renderUnsealForm({ message }: { message?: string } = {}): string {
  const error = message ? `<p class="error" role="alert" id="unseal-error">${escapeHtml(message)}</p>` : '';
  return page({
    title: 'Unlock Field Reports',
    body: `<h1>Unlock Field Reports</h1>
<p>This server started without its key: its data stays encrypted and the service is paused until the newsroom's passphrase is entered here.</p>
${error}<form method="post" action="/unseal">
<label for="passphrase">Newsroom passphrase</label>
<input id="passphrase" name="passphrase" type="password" autocomplete="off" required maxlength="1024"${message ? ' aria-describedby="unseal-error" aria-invalid="true" autofocus' : ''}>
<button type="submit">Unlock</button>
</form>`,
  });
}
