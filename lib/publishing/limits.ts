/**
 * Limits of the editor's public texts. A module of its own (no imports) so client forms can use
 * it without pulling in the coarsening code. The title limit is the report's (docs/product.md: ≤ 120).
 */
export const PUBLICATION_LIMITS = {
  titleMaxChars: 120,
  summaryMaxChars: 20_000,
  retractionReasonMaxChars: 1_000,
} as const;

/** The longest leak-flag key (lib/publishing/leak-check.ts); a longer form value confirms nothing. */
export const LEAK_KEY_MAX_CHARS = 160;
