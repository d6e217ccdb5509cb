/**
 * SM_RELAYS: every bad entry stops the start with a message naming it (parsed here, and through the real
 * server for the start itself); the configuration docs/relays.md shows parses; each vendor's request
 * carries its secret the way the vendor documents.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSites } from '../src/sites';
import { loadRelays, parseRelays } from '../src/relays/config';
import { relayTarget } from '../src/relays/request';
import { TOKEN } from './fixtures';

const good = { name: 'ga', vendor: 'ga4', measurementId: 'G-ABC1234', apiSecret: 'mp-secret' };
const parse = (entry: Record<string, unknown>, site = 'shop', taken: string[] = []) =>
  parseRelays(JSON.stringify({ [site]: [{ ...good, ...entry }] }), parseSites('{"shop": {}}'), 'SM_RELAYS', taken);

describe('SM_RELAYS', () => {
  it('parses a relay with its defaults: GA4 forwards deltas, the others the final record', () => {
    expect(parse({})).toEqual([
      {
        key: 'shop/ga', site: 'shop', name: 'ga', vendor: 'ga4', url: 'https://www.google-analytics.com/mp/collect', secret: 'mp-secret', measurementId: 'G-ABC1234', headers: {},
        serviceName: 'session-metrics', forward: 'deltas', pages: false, prefix: 'sm_', sessionEvent: 'sm_session', pageEvent: 'sm_page', timeoutMs: 10_000, deadAfterMs: 72 * 3_600_000,
      },
    ]);
    const [segment] = parse({ vendor: 'segment', measurementId: undefined, apiSecret: undefined, writeKey: 'wk' });
    expect([segment!.url, segment!.forward, segment!.secret]).toEqual(['https://api.segment.io/v1/batch', 'final', 'wk']);
  });

  it.each([
    [{ vendor: 'mixpanel' }, "relay 'shop/ga' has an unknown \"vendor\" \"mixpanel\" (known: ga4, segment, posthog, otlp)"],
    [{ apiSecret: undefined }, "relay 'shop/ga' is missing \"apiSecret\""],
    [{ apiSecret: 'has spaces in it' }, "relay 'shop/ga' \"apiSecret\" must be 1 to 200 printable characters"],
    [{ measurementId: 'UA-1234-1' }, "relay 'shop/ga' needs \"measurementId\""],
    [{ url: 'not a url' }, "relay 'shop/ga' \"url\" must be an absolute http(s) URL"],
    [{ writeKey: 'wk' }, "relay 'shop/ga' has an unknown field \"writeKey\" for ga4"],
    [{ vendor: 'segment', measurementId: undefined, apiSecret: undefined }, "relay 'shop/ga' is missing \"writeKey\""],
    [{ vendor: 'posthog', measurementId: undefined, apiSecret: undefined }, "relay 'shop/ga' is missing \"apiKey\""],
    [{ vendor: 'otlp', measurementId: undefined, apiSecret: undefined }, "relay 'shop/ga' needs \"url\": the OTLP/HTTP logs endpoint"],
    [{ vendor: 'otlp', measurementId: undefined, apiSecret: undefined, url: 'http://otel:4318/v1/logs', headers: { 'bad header': 'x' } }, "relay 'shop/ga' \"headers\" must be an object"],
    [{ forward: 'sometimes' }, "relay 'shop/ga' \"forward\" must be \"final\" or \"deltas\""],
    [{ sessionEvent: 'session_start' }, "relay 'shop/ga' \"sessionEvent\" \"session_start\" is reserved by GA4"],
    [{ pageEvent: 'page-view' }, "relay 'shop/ga' \"pageEvent\" \"page-view\" is not a GA4 event name"],
    [{ prefix: 'ga_' }, "relay 'shop/ga' \"prefix\" \"ga_\" starts with a prefix GA4 reserves"],
    [{ prefix: '1x' }, "relay 'shop/ga' \"prefix\" \"1x\" does not make GA4 parameter names"],
    [{ timeoutSeconds: -1 }, "relay 'shop/ga' \"timeoutSeconds\" must be a number above 0"],
    [{ name: 'a b' }, "site 'shop' relay 0 needs \"name\""],
  ])('refuses %j, naming the entry', (entry, message) => {
    expect(() => parse(entry)).toThrow(`SM_RELAYS: ${message}`);
  });

  it('refuses an unknown site, a name used twice or by a webhook, bad JSON and a missing file', () => {
    expect(() => parse({}, 'learn')).toThrow("SM_RELAYS: site 'learn' is not in SM_SITES ('shop')");
    expect(() => parseRelays(JSON.stringify({ shop: [good, good] }), null)).toThrow("SM_RELAYS: relay 'shop/ga' is named twice");
    expect(() => parse({}, 'shop', ['shop/ga'])).toThrow("SM_RELAYS: relay 'shop/ga' has the name of a webhook in SM_WEBHOOKS");
    expect(() => loadRelays('{"shop": [', null)).toThrow('SM_RELAYS is not valid JSON');
    expect(() => loadRelays('/nonexistent/relays.json', null)).toThrow('SM_RELAYS is neither JSON nor a readable file');
    expect(loadRelays('/from/file.json', null, [], () => JSON.stringify({ shop: [good] }))![0]!.key).toBe('shop/ga');
    expect(loadRelays(undefined, null)).toBeNull();
  });

  it('accepts the configuration docs/relays.md shows', () => {
    const page = readFileSync(fileURLToPath(new URL('../../docs/relays.md', import.meta.url)), 'utf8');
    const json = /```json\n([\s\S]*?)\n```/.exec(page)![1]!;
    expect(parseRelays(json, null).map((r) => `${r.key} ${r.vendor} ${r.forward}`)).toEqual(['shop/ga4 ga4 deltas', 'shop/segment segment final', 'shop/posthog posthog final', 'shop/otel otlp final']);
  });

  it('adds each secret at send time, as each vendor documents', () => {
    const relays = parseRelays(
      JSON.stringify({
        shop: [
          good,
          { name: 'seg', vendor: 'segment', writeKey: 'wk' },
          { name: 'ph', vendor: 'posthog', apiKey: 'phc_k' },
          { name: 'ot', vendor: 'otlp', url: 'http://otel:4318/v1/logs', headers: { 'X-Api-Key': 'k1' } },
        ],
      }),
      null,
    );
    const [ga, seg, ph, ot] = relays.map((r) => relayTarget(r).request('msg_1', '{"batch":[]}', 0));
    expect(ga!.url).toBe('https://www.google-analytics.com/mp/collect?measurement_id=G-ABC1234&api_secret=mp-secret');
    expect(seg!.headers.authorization).toBe(`Basic ${Buffer.from('wk:').toString('base64')}`);
    expect(JSON.parse(ph!.body)).toEqual({ api_key: 'phc_k', batch: [] });
    expect(ot!.headers).toMatchObject({ 'x-api-key': 'k1', 'content-type': 'application/json' });
  });

  it('stops the real start with the message, and refuses relays on the ClickHouse store', async () => {
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: fileURLToPath(new URL('..', import.meta.url)), env: { ...process.env, PORT: '0', SM_API_TOKEN: TOKEN, ...env }, timeout: 30_000,
      }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    const bad = await run({ SM_RELAYS: JSON.stringify({ shop: [{ ...good, apiSecret: '' }] }) });
    expect(bad).toEqual({ code: 1, stderr: expect.stringContaining("SM_RELAYS: relay 'shop/ga' is missing \"apiSecret\"") });
    const clickhouse = await run({ SM_RELAYS: JSON.stringify({ shop: [good] }), SM_CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(clickhouse).toEqual({ code: 1, stderr: expect.stringContaining('SM_RELAYS needs the SQLite or PostgreSQL store: ClickHouse has no transaction') });
  });
});
