-- Issue 19 item 11: a publication's public title and summary are written in English and Korean.
-- Snapshots stored before (version 1) hold one title and one summary in the language the partner
-- wrote them in; both become the value of that language: Korean when the title holds Hangul
-- (a syllable U+AC00-U+D7A3 or a jamo U+1100-U+11FF, U+3130-U+318F), else English, the other
-- language left empty (docs/decisions/0011-public-text-in-two-languages.md; the same rule as
-- lib/publishing/languages.ts languageOfText, which also reads any version 1 snapshot left over).
UPDATE `publications`
SET `snapshot` = json_set(
  `snapshot`,
  '$.version', 2,
  '$.title', CASE
    WHEN json_extract(`snapshot`, '$.title') GLOB '*[가-힣ᄀ-ᇿ㄰-㆏]*'
      THEN json_object('en', '', 'ko', json_extract(`snapshot`, '$.title'))
    ELSE json_object('en', json_extract(`snapshot`, '$.title'), 'ko', '')
  END,
  '$.summary', CASE
    WHEN json_extract(`snapshot`, '$.title') GLOB '*[가-힣ᄀ-ᇿ㄰-㆏]*'
      THEN json_object('en', '', 'ko', coalesce(json_extract(`snapshot`, '$.summary'), ''))
    ELSE json_object('en', coalesce(json_extract(`snapshot`, '$.summary'), ''), 'ko', '')
  END
)
WHERE json_extract(`snapshot`, '$.version') = 1 AND json_type(`snapshot`, '$.title') = 'text';
