import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inLanguageOf, languageOfText, pickLanguage, upgradeSnapshotTexts } from './languages';

describe('the language of a partner’s text', () => {
  it('is Korean when it holds Hangul (composed or decomposed), else English', () => {
    expect(languageOfText('Buses cross the upper Amrok overnight')).toBe('en');
    expect(languageOfText('밀수 차량은 흰색과 은색만')).toBe('ko');
    expect(languageOfText('혜산'.normalize('NFD'))).toBe('ko');
    expect(languageOfText('')).toBe('en');
    expect(inLanguageOf('한밤의 트럭')).toEqual({ en: '', ko: '한밤의 트럭' });
    expect(inLanguageOf('A summary', '한국어 제목')).toEqual({ en: '', ko: 'A summary' });
  });
});

describe('what a reader sees', () => {
  it('is their own language, else the other one marked as a fallback', () => {
    const both = { en: 'Night crossings', ko: '야간 도강' };
    expect(pickLanguage(both, 'en')).toEqual({ text: 'Night crossings', lang: 'en', isFallback: false });
    expect(pickLanguage(both, 'ko')).toEqual({ text: '야간 도강', lang: 'ko', isFallback: false });
    expect(pickLanguage({ en: '', ko: '야간 도강' }, 'en')).toEqual({ text: '야간 도강', lang: 'ko', isFallback: true });
    expect(pickLanguage({ en: 'Night crossings', ko: '  ' }, 'ko')).toEqual({ text: 'Night crossings', lang: 'en', isFallback: true });
    expect(pickLanguage({ en: '', ko: '' }, 'ko')).toBeNull();
  });
});

describe('snapshots stored before both languages', () => {
  it('become the language of their title; newer ones are kept', () => {
    expect(upgradeSnapshotTexts({ title: 'Night crossings', summary: 'Trucks crossed.' })).toEqual({
      title: { en: 'Night crossings', ko: '' },
      summary: { en: 'Trucks crossed.', ko: '' },
    });
    expect(upgradeSnapshotTexts({ title: '야간 도강', summary: 'Mixed text, 한국어 title' })).toEqual({
      title: { en: '', ko: '야간 도강' },
      summary: { en: '', ko: 'Mixed text, 한국어 title' },
    });
    const current = { title: { en: 'A', ko: '가' }, summary: { en: '', ko: '나' } };
    expect(upgradeSnapshotTexts(current)).toEqual(current);
    expect(upgradeSnapshotTexts({ title: { ko: '가' }, summary: null })).toEqual({ title: { en: '', ko: '가' }, summary: { en: '', ko: '' } });
  });
});

describe('migration 0012', () => {
  it('rewrites stored version 1 snapshots by the same rule as upgradeSnapshotTexts, keeping the rest', () => {
    const samples = [
      { version: 1, title: 'Night crossings', summary: 'Trucks crossed.', photos: [{ id: 1 }] },
      { version: 1, title: '야간 도강 near the river', summary: 'Mixed text' },
      { version: 1, title: 'ᄒᆌ산'.normalize('NFD'), summary: '' },
    ];
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE publications (id integer primary key, snapshot text not null)');
      const insert = db.prepare('INSERT INTO publications (snapshot) VALUES (?)');
      for (const sample of samples) insert.run(JSON.stringify(sample));
      const current = { version: 2, title: { en: 'A', ko: '' }, summary: { en: '', ko: '' } };
      insert.run(JSON.stringify(current));
      db.exec(fs.readFileSync(path.join(process.cwd(), 'db/migrations/0012_publication_text_languages.sql'), 'utf8'));
      const rows = db.prepare('SELECT snapshot FROM publications ORDER BY id').all() as { snapshot: string }[];
      const migrated = rows.map((row) => JSON.parse(row.snapshot) as Record<string, unknown>);
      samples.forEach((sample, i) => expect(migrated[i]).toEqual({ ...sample, version: 2, ...upgradeSnapshotTexts(sample) }));
      expect(migrated[3]).toEqual(current);
    } finally {
      db.close();
    }
  });
});
