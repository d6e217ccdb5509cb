import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/reports/csv';
import { loadSites, parseSites } from '../src/sites';
import { loadToken } from '../src/token';

describe('sites configuration', () => {
  it('reads JSON text or a file, and none means no restriction', () => {
    expect(loadSites(undefined)).toBeNull();
    expect(loadSites('  ')).toBeNull();
    expect([...loadSites('{"docs":{"origins":["https://a.example"]},"app":{}}')!.entries()]).toEqual([
      ['docs', { origins: ['https://a.example'] }],
      ['app', { origins: [] }],
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'sm-sites-'));
    writeFileSync(join(dir, 'sites.json'), '{"lms":{"origins":["http://localhost:3000"]}}');
    expect(loadSites(join(dir, 'sites.json'))!.get('lms')).toEqual({ origins: ['http://localhost:3000'] });
    rmSync(dir, { recursive: true });
  });

  it.each([
    ['{nope', /SM_SITES is not valid JSON/],
    ['[]', /SM_SITES must be an object of siteId/],
    ['{"a":{"origins":"https://a.example"}}', /site 'a' origins must be an array of strings/],
    ['{"a":{"origins":["https://a.example/path"]}}', /origin 'https:\/\/a.example\/path' must look like https:\/\/host\[:port\], without a path/],
  ])('refuses %s with a message that names the problem', (text, message) => {
    expect(() => parseSites(text)).toThrow(message);
  });
});

describe('API token', () => {
  it('is generated once into the data directory (mode 0600) and reused after', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sm-token-')), 'data');
    const first = loadToken(dir, undefined);
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(loadToken(dir, undefined)).toEqual({ ...first, source: 'file' });
    expect(loadToken(dir, 'from-the-environment-123')).toMatchObject({ token: 'from-the-environment-123', source: 'env' });
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.token);
    expect(() => loadToken(dir, 'short')).toThrow('SM_API_TOKEN must be at least 16 characters');
    rmSync(dir, { recursive: true });
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and defuses formula cells, leaving numbers alone', () => {
    expect(toCsv(['a', 'b'], [['x"y', -1], ['+SUM(A1)', null], ['line\nbreak', 0.5], ['@me', true]])).toBe(
      'a,b\r\n"x""y",-1\r\n\'+SUM(A1),\r\n"line\nbreak",0.5\r\n\'@me,true\r\n',
    );
  });
});
