/**
 * Recovery codes shown once (after enrolment, or after replacing them): an ordered list named
 * `label`, each code in monospace. Rendered by client forms; no data access.
 */
export function RecoveryCodeList({ codes, label }: { codes: readonly string[]; label: string }) {
  return (
    <ol className="recovery-codes" aria-label={label}>
      {codes.map((code) => (
        <li key={code}>
          <code>{code}</code>
        </li>
      ))}
    </ol>
  );
}
