/**
 * The two pages a sealed server shows (docs/security/encryption-at-rest.md): the notice every
 * request gets (503 with Retry-After), and the unseal form. Plain HTML strings with no script and
 * no data from the database (there is none to read while sealed), in English and Korean, readable
 * at 360 px. No import of the app's layout: rendering it would read sessions from the database.
 */
import { escapeHtml } from '@/lib/http/escape-html';
import { renderPlainPage } from '@/lib/http/plain-page';

/** Seconds a sealed server asks clients to wait before trying again. */
export const SEALED_RETRY_AFTER_SECONDS = 300;

/** One text field a person posted to a sealed server, shown back so it is not lost. */
export type TypedField = { name: string; value: string };

/** Bodies larger than this (bytes) are not read back into the notice (photo uploads, floods). */
export const MAX_TYPED_BACK_BYTES = 2 * 1024 * 1024;

// Fields that are the form's machinery or a secret, never what a person wrote for a report.
const TECHNICAL_FIELD = /^(\$|_)|^(clientId|intent|version|expectedVersion|returnTo|callbackUrl|csrfToken|locale|reportId|photoId|id|confirm)$/;
const SECRET_FIELD = /pass|code|token|secret|totp|recovery/i;

/**
 * The text fields of a form post worth showing back to its author on the sealed notice: string
 * values with something in them, without the form's machinery (React's `$ACTION_…` fields, ids,
 * intents) and never a password, passphrase, code or token. Files are left out.
 * @returns fields in the order posted (at most 200)
 */
export function typedFieldsOf(form: FormData): TypedField[] {
  const fields: TypedField[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string' || value.trim() === '' || TECHNICAL_FIELD.test(name) || SECRET_FIELD.test(name)) continue;
    fields.push({ name, value });
    if (fields.length >= 200) break;
  }
  return fields;
}

/**
 * The notice for every page, action and API call while sealed.
 * @param typed what the person had just posted (a form sent with scripts off): shown back in
 *   read-only boxes so they can copy it, since the server keeps none of it and a signed-in page is
 *   not kept by the browser either (no-store), so Back would not bring it back
 */
export function renderSealedNotice({ typed = [] }: { typed?: TypedField[] } = {}): string {
  const kept = typed.length
    ? `<p><strong>Nothing you sent was saved, and the server keeps none of it.</strong> Here it is, so that you can copy it to a safe place on this device before you leave this page:</p>
<p lang="ko"><strong>보내신 내용은 저장되지 않았고 서버에 남지 않습니다.</strong> 이 페이지를 떠나기 전에 아래 내용을 기기 안전한 곳에 복사해 두십시오.</p>
${typed.map((f, i) => `<label for="typed-${i}">${escapeHtml(f.name)}</label><textarea id="typed-${i}" readonly rows="${Math.min(12, Math.max(2, f.value.split('\n').length + 1))}">${escapeHtml(f.value)}</textarea>`).join('\n')}`
    : `<p>Nothing can be read or saved now. If you were writing a report with scripts on, it stays on this device and is saved when the service is back; keep the page open.</p>
<p lang="ko">지금은 아무것도 읽거나 저장할 수 없습니다. 스크립트를 켠 상태로 보고서를 쓰고 계셨다면 내용은 이 기기에 남아 있으며 서비스가 돌아오면 저장됩니다. 페이지를 닫지 마십시오.</p>`;
  return renderPlainPage({
    title: 'Field Reports is paused',
    body: `<h1>Field Reports is paused</h1>
<p>The service is locked and reads or writes nothing until the newsroom unlocks it. Please try again later.</p>
<h2 lang="ko">Field Reports 일시 중지</h2>
<p lang="ko">서비스가 잠겨 있어 편집국이 잠금을 풀 때까지 아무것도 읽거나 저장하지 않습니다. 잠시 후 다시 시도해 주십시오.</p>
${kept}`,
  });
}

/**
 * The unseal form (a plain form posting to /unseal; works without scripts).
 * @param message an error to show above the field (escaped), e.g. a wrong passphrase
 */
export function renderUnsealForm({ message }: { message?: string } = {}): string {
  const error = message ? `<p class="error" role="alert" id="unseal-error">${escapeHtml(message)}</p>` : '';
  return renderPlainPage({
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
