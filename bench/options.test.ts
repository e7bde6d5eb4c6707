import { describe, expect, it } from 'vitest';
import { BenchOptionError, MEASUREMENTS, parseBenchOptions } from './options';

describe('parseBenchOptions', () => {
  it('defaults to the issue: N = 100,000 against 1,000, a fresh build, 20,000 submissions, 50 connections', () => {
    const options = parseBenchOptions([]);
    expect(options).toMatchObject({ quick: false, build: true, largeReports: 100_000, smallReports: 1_000, walSubmissions: 20_000, loadConnections: 50, port: 3150, distDir: '.next-bench' });
    expect([...options.only]).toEqual([...MEASUREMENTS]);
  });

  it('--quick means N = 5,000 and fewer submissions; --no-build reuses the build', () => {
    const options = parseBenchOptions(['--', '--quick', '--no-build']);
    expect(options).toMatchObject({ quick: true, build: false, largeReports: 5_000, walSubmissions: 2_000 });
  });

  it('reads numbers with separators, the dist dir from NEXT_DIST_DIR, and --only lists', () => {
    const options = parseBenchOptions(['--reports=20_000', '--wal-submissions=1,500', '--only=queue,public'], { NEXT_DIST_DIR: '.next-other' });
    expect(options.largeReports).toBe(20_000);
    expect(options.walSubmissions).toBe(1_500);
    expect(options.distDir).toBe('.next-other');
    expect([...options.only]).toEqual(['queue', 'public']);
  });

  it('runs the encrypted-vs-plain comparison by default, alone with --only=encryption, shorter with --quick', () => {
    expect(parseBenchOptions([]).only.has('encryption')).toBe(true);
    expect([...parseBenchOptions(['--only=encryption']).only]).toEqual(['encryption']);
    expect(parseBenchOptions([])).toMatchObject({ encryptionRounds: 5, encryptionLoadSeconds: 4, encryptionLatencySeconds: 2 });
    expect(parseBenchOptions(['--quick'])).toMatchObject({ encryptionRounds: 3, encryptionLoadSeconds: 3, encryptionLatencySeconds: 1 });
  });

  it('runs the desk trial only alone, with 200 reports a way unless told', () => {
    expect(parseBenchOptions([])).toMatchObject({ desk: false });
    const desk = parseBenchOptions(['--only=desk', '--desk-reports=40']);
    expect(desk).toMatchObject({ desk: true, deskReports: 40 });
    expect([...desk.only]).toEqual([]);
    expect(parseBenchOptions(['--only=desk']).deskReports).toBe(200);
    expect(() => parseBenchOptions(['--only=desk,queue'])).toThrow(/alone/);
  });

  it('refuses unknown options, unknown measurements and bad numbers', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(BenchOptionError);
    expect(() => parseBenchOptions(['quick'])).toThrow(/Unknown argument/);
    expect(() => parseBenchOptions(['--only=queue,speed'])).toThrow(/speed/);
    expect(() => parseBenchOptions(['--reports=0'])).toThrow(/between/);
    expect(() => parseBenchOptions(['--reports=lots'])).toThrow(/whole number/);
    expect(() => parseBenchOptions(['--port'])).toThrow(/needs a value/);
  });
});
