/**
 * SM_WEBHOOKS: every bad entry stops the start with a message naming it (parsed here, and through the
 * real server for the start itself), and the pieces of an event that need no store: page globs, the
 * backoff, Retry-After, and the signature as the `standardwebhooks` package verifies it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { parseSites } from '../src/sites';
import { backoffMs, retryAfterMs } from '../src/webhooks/backoff';
import { loadWebhooks, parseWebhooks } from '../src/webhooks/config';
import { globRegExp } from '../src/webhooks/events';
import { webhookHeaders } from '../src/webhooks/sign';
import { TOKEN } from './fixtures';
import { SECRET } from './webhook-receiver';

const good = { name: 'crm', url: 'https://crm.example.com/hook', secret: SECRET, events: ['alert'] };
const parse = (entry: Record<string, unknown>, site = 'learn') => parseWebhooks(JSON.stringify({ [site]: [{ ...good, ...entry }] }), parseSites('{"learn": {}}'));

describe('SM_WEBHOOKS', () => {
  it('parses an endpoint with its defaults', () => {
    expect(parse({ events: ['users.inactive', 'session.ended'], filters: { pages: ['/lesson/**'], minEngagedSeconds: 30 } })).toEqual([
      { key: 'learn/crm', site: 'learn', name: 'crm', url: 'https://crm.example.com/hook', secret: SECRET, events: ['users.inactive', 'session.ended'], filters: { pages: ['/lesson/**'], minEngagedMs: 30_000 }, inactiveDays: 7, timeoutMs: 10_000, deadAfterMs: 72 * 3_600_000 },
    ]);
  });

  it.each([
    [{ events: ['alert', 'session.started'] }, "webhook 'learn/crm' has an unknown event \"session.started\""],
    [{ url: 'crm.example.com/hook' }, "webhook 'learn/crm' \"url\" must be an absolute http(s) URL"],
    [{ url: 'ftp://crm.example.com/hook' }, "webhook 'learn/crm' \"url\" must be an http(s) URL"],
    [{ secret: undefined }, "webhook 'learn/crm' is missing \"secret\""],
    [{ secret: 'hunter2' }, "webhook 'learn/crm' \"secret\" must be \"whsec_\" followed by a base64 key"],
    [{ secret: 'whsec_c2hvcnQ=' }, "webhook 'learn/crm' \"secret\" key is 5 bytes"],
    [{ events: [] }, "webhook 'learn/crm' needs \"events\""],
    [{ evnts: ['alert'] }, "webhook 'learn/crm' has an unknown field \"evnts\""],
    [{ filters: { pages: ['/a'] } }, "webhook 'learn/crm' filter \"pages\" applies only to session.ended"],
    [{ filters: { directions: ['up'] } }, "webhook 'learn/crm' filter \"directions\" must be a non-empty array of \"above\" and \"below\""],
    [{ filters: { colour: 'red' } }, "webhook 'learn/crm' has an unknown filter \"colour\""],
    [{ inactiveDays: 3 }, "webhook 'learn/crm' \"inactiveDays\" applies only to users.inactive"],
    [{ timeoutSeconds: 0 }, "webhook 'learn/crm' \"timeoutSeconds\" must be a number above 0"],
    [{ name: 'no spaces' }, "site 'learn' endpoint 0 needs \"name\""],
  ])('refuses %j, naming the entry', (entry, message) => {
    expect(() => parse(entry)).toThrow(`SM_WEBHOOKS: ${message}`);
  });

  it('refuses an unknown site, a name used twice, and bad JSON or a missing file', () => {
    expect(() => parse({}, 'shop')).toThrow("SM_WEBHOOKS: site 'shop' is not in SM_SITES ('learn')");
    expect(() => parseWebhooks(JSON.stringify({ learn: [good, good] }), null)).toThrow("SM_WEBHOOKS: webhook 'learn/crm' is named twice");
    expect(() => loadWebhooks('{"learn": [', null)).toThrow('SM_WEBHOOKS is not valid JSON');
    expect(() => loadWebhooks('/nonexistent/webhooks.json', null)).toThrow('SM_WEBHOOKS is neither JSON nor a readable file');
    expect(loadWebhooks('/from/file.json', null, () => JSON.stringify({ learn: [good] }))![0]!.key).toBe('learn/crm');
    expect(loadWebhooks('  ', null)).toBeNull();
  });

  it('accepts the configurations docs/webhooks.md and the README show', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const page = readFileSync(`${root}/docs/webhooks.md`, 'utf8');
    const json = /```json\n([\s\S]*?)\n```/.exec(page)![1]!;
    expect(parseWebhooks(json, null).map((w) => `${w.key} ${w.events.join(',')}`)).toEqual(['learn/reminders users.inactive', 'learn/tutors alert,session.ended']);
    const readme = /SM_WEBHOOKS='([^']+)'/.exec(readFileSync(`${root}/README.md`, 'utf8'))![1]!;
    expect(parseWebhooks(readme, null)[0]).toMatchObject({ key: 'learn/reminders', events: ['users.inactive'], inactiveDays: 7 });
  });

  it('stops the real start with the message, and refuses webhooks on the ClickHouse store', async () => {
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, PORT: '0', SM_API_TOKEN: TOKEN, ...env }, timeout: 30_000,
      }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    const bad = await run({ SM_WEBHOOKS: JSON.stringify({ learn: [{ ...good, events: ['alerts'] }] }) });
    expect(bad).toEqual({ code: 1, stderr: expect.stringContaining("SM_WEBHOOKS: webhook 'learn/crm' has an unknown event \"alerts\"") });
    const clickhouse = await run({ SM_WEBHOOKS: JSON.stringify({ learn: [good] }), SM_CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(clickhouse).toEqual({ code: 1, stderr: expect.stringContaining('SM_WEBHOOKS needs the SQLite or PostgreSQL store: ClickHouse has no transaction') });
  });
});

describe('webhook pieces', () => {
  it('page globs: * within a segment, ** across, ? one character', () => {
    expect(['/lesson/1', '/lesson/1/video', '/lessons'].filter((p) => globRegExp('/lesson/*').test(p))).toEqual(['/lesson/1']);
    expect(['/lesson/1', '/lesson/1/video', '/lesson'].filter((p) => globRegExp('/lesson/**').test(p))).toEqual(['/lesson/1', '/lesson/1/video']);
    expect(globRegExp('/a?c.html').test('/abc.html')).toBe(true);
    expect(globRegExp('/a?c.html').test('/abcxhtml')).toBe(false);
  });

  it('backoff doubles from 5 s to a 1 h cap, jittered to 50-100 %; Retry-After in seconds or as a date', () => {
    // random 0.5: three quarters of each step.
    expect([1, 2, 3, 10, 11, 40].map((n) => backoffMs(n, { random: () => 0.5 }))).toEqual([3_750, 7_500, 15_000, 1_920_000, 2_700_000, 2_700_000]);
    expect(backoffMs(3, { random: () => 0 })).toBe(10_000);
    expect(backoffMs(3, { random: () => 0.999999 })).toBe(20_000);
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(new Date(90_000).toUTCString(), 30_000)).toBe(60_000);
    expect(retryAfterMs('999999', 0)).toBe(21_600_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });

  it('signs as Standard Webhooks: standardwebhooks verifies it, and refuses it under another secret or body', () => {
    const body = JSON.stringify({ type: 'alert', timestamp: new Date().toISOString(), data: { x: 1 } });
    const headers = webhookHeaders(SECRET, 'msg_1', Date.now(), body);
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    const other = `whsec_${Buffer.from('another secret of thirty-two byt').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow('No matching signature found');
  });
});
