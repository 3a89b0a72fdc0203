import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { authorizeUrl, postForm } from '../../helpers/oauth-calls.ts';
import { CHROMIUM } from '../../helpers/ui-harness.ts';

/** A loopback redirect listener like a desktop app's: records what the browser brings back. */
async function redirectListener(t: { after(cleanup: () => unknown): void }) {
  const arrivals: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') arrivals.push(url); // not the browser's /favicon.ico
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Signed in.');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((closed) => server.close(closed)));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, arrivals };
}

describe('localbox consent page in a real browser', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  after(() => browser.close());

  it('grants with JavaScript off: the CSP lets the form post and its redirect to the loopback listener through', async (t) => {
    const localbox = await localboxFor(t);
    const listener = await redirectListener(t);
    const context = await browser.newContext({ javaScriptEnabled: false });
    t.after(() => context.close());
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(authorizeUrl(localbox, { redirectUri: listener.uri, state: 'from-browser' }));
    assert.equal(await page.title(), 'Grant access to Box');
    await Promise.all([
      page.waitForURL(/127\.0\.0\.1:\d+\/callback/),
      page.getByText('Grant access to Box').last().click(),
    ]);
    assert.deepEqual(violations, []);
    assert.equal(listener.arrivals.length, 1);
    const back = listener.arrivals[0]!;
    assert.equal(back.searchParams.get('state'), 'from-browser');
    const tokens = await postForm(localbox, '/oauth2/token', {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: listener.uri,
    });
    assert.equal(tokens.status, 200);
  });

  it('denies in the browser: the listener gets access_denied', async (t) => {
    const localbox = await localboxFor(t);
    const listener = await redirectListener(t);
    const context = await browser.newContext();
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(authorizeUrl(localbox, { redirectUri: listener.uri, state: 's' }));
    await Promise.all([page.waitForURL(/\/callback/), page.getByRole('button', { name: 'Deny' }).click()]);
    assert.equal(listener.arrivals[0]?.searchParams.get('error'), 'access_denied');
  });
});
