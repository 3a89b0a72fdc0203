import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { BoxClient } from '../../electron/box/box-client.ts';
import { oauthEndpointsFor } from '../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../electron/box/oauth/oauth-token-source.ts';
import { SignInRequiredError } from '../../electron/box/oauth/oauth-client.ts';
import { MemoryTokenStore, type StoredSignIn } from '../../electron/box/oauth/token-store.ts';
import { localboxFor } from '../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../helpers/oauth-sign-in.ts';

/** localbox and the token source on one clock that moves only when the test says. */
async function setup(t: TestContext, store?: (first: StoredSignIn) => MemoryTokenStore) {
  let nowMs = Date.now();
  const localbox = await localboxFor(t, { accessTokenTtlSeconds: 100, nowMs: () => nowMs });
  const first = storedFor(localbox, await browserSignIn(localbox));
  const tokenStore = store ? store(first) : new MemoryTokenStore(first);
  const reasons: string[] = [];
  const saveErrors: Error[] = [];
  const tokens = new OAuthTokenSource({
    endpoints: oauthEndpointsFor(localbox.url),
    app: appOf(localbox),
    store: tokenStore,
    nowMs: () => nowMs,
    onRefreshed: (reason) => reasons.push(reason),
    onSaveError: (error) => saveErrors.push(error),
  });
  return { localbox, first, tokens, tokenStore, reasons, saveErrors, advance: (ms: number) => (nowMs += ms) };
}

describe('OAuthTokenSource', () => {
  it('refreshes once for everyone who asks while the token is near expiry', async (t) => {
    const { localbox, first, tokens, reasons, advance } = await setup(t);
    assert.equal(await tokens.current(), first.accessToken, 'a fresh token is used as it is');
    advance(95_000); // within the margin (a tenth of the token's 100 s life)
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.current()));
    assert.equal(new Set(all).size, 1);
    assert.notEqual(all[0], first.accessToken);
    assert.equal(localbox.stats().tokenRequests.refresh_token, 1);
    assert.deepEqual(reasons, ['expiring']);
  });

  it('after 401s on the same token, refreshes once; a 401 on a token already replaced refreshes nothing', async (t) => {
    const { localbox, first, tokens } = await setup(t);
    const results = await Promise.all(Array.from({ length: 8 }, () => tokens.refresh(first.accessToken)));
    assert.ok(results.every(Boolean));
    assert.equal(await tokens.refresh(first.accessToken), true);
    assert.equal(localbox.stats().tokenRequests.refresh_token, 1);
  });

  it('saves the rotated refresh token before handing out the new access token', async (t) => {
    const saved: StoredSignIn[] = [];
    const { tokens, advance } = await setup(
      t,
      (first) =>
        new (class extends MemoryTokenStore {
          override async save(signIn: StoredSignIn) {
            saved.push(signIn);
            await super.save(signIn);
          }
        })(first),
    );
    advance(99_000);
    const access = await tokens.current();
    assert.equal(saved.at(-1)?.accessToken, access, 'the store held the new pair when it was first used');
    assert.ok(saved.at(-1)?.refreshToken);
  });

  it('keeps going in memory when the store cannot save, and says so', async (t) => {
    const { tokens, saveErrors, advance, first } = await setup(
      t,
      (signIn) =>
        new (class extends MemoryTokenStore {
          override async save() {
            throw new Error('disk full');
          }
        })(signIn),
    );
    advance(99_000);
    assert.notEqual(await tokens.current(), first.accessToken);
    assert.deepEqual(
      saveErrors.map((error) => error.message),
      ['disk full'],
    );
  });

  it('after invalid_grant, jobs wait for a sign-in, and one that comes wakes them', async (t) => {
    const { localbox, tokens, advance } = await setup(t);
    localbox.revokeAllTokens();
    advance(99_000);
    const ended = await tokens.current().then(
      () => assert.fail('the sign-in should have ended'),
      (error: unknown) => error as SignInRequiredError,
    );
    assert.ok(ended instanceof SignInRequiredError);
    assert.equal(tokens.needsSignIn, true);
    const controller = new AbortController();
    let woke = false;
    const waiting = tokens.waitForNewToken(controller.signal, ended.signInGeneration).then((value) => (woke = value));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(woke, false, 'still waiting');
    await tokens.signedIn(storedFor(localbox, await browserSignIn(localbox)));
    assert.equal(await waiting, true);
    assert.equal(tokens.needsSignIn, false);
    // A job that saw the old sign-in end only now asks: the new one is already there.
    assert.equal(await tokens.waitForNewToken(controller.signal, ended.signInGeneration), true);
  });

  it('wakes waiting jobs when another process saves a sign-in, and gives up after the wait limit', async (t) => {
    const localbox = await localboxFor(t);
    const store = new MemoryTokenStore();
    const options = { endpoints: oauthEndpointsFor(localbox.url), app: appOf(localbox), store };
    const patient = new OAuthTokenSource({ ...options, storeReloadMs: 10 });
    const impatient = new OAuthTokenSource({ ...options, signInWaitMs: 20 });
    const signal = new AbortController().signal;
    const waiting = patient.waitForNewToken(signal);
    assert.equal(await impatient.waitForNewToken(signal), false, 'gave up after 20 ms');
    await store.save(storedFor(localbox, await browserSignIn(localbox))); // hoist login elsewhere
    assert.equal(await waiting, true);
    assert.equal(patient.needsSignIn, false);
    assert.equal(await patient.current(), store.load()?.accessToken);
  });

  it('signs out: revokes the tokens on the server and clears the store', async (t) => {
    const { localbox, tokens, tokenStore, first } = await setup(t);
    await tokens.signOut();
    assert.equal(tokenStore.load(), undefined);
    await assert.rejects(tokens.current(), SignInRequiredError);
    const me = await fetch(`${localbox.url}/2.0/users/me`, {
      headers: { authorization: `Bearer ${first.accessToken}` },
    });
    assert.equal(me.status, 401);
  });

  it('binds its tokens to the account origins', async (t) => {
    const { tokens, first } = await setup(t);
    assert.deepEqual(tokens.origins, [first.apiOrigin, first.uploadOrigin]);
  });

  it('with nobody signed in, a request asks for a sign-in and sends nothing', async (t) => {
    const localbox = await localboxFor(t);
    const tokens = new OAuthTokenSource({
      endpoints: oauthEndpointsFor(localbox.url),
      app: appOf(localbox),
      store: new MemoryTokenStore(),
    });
    assert.equal(tokens.needsSignIn, true);
    const client = new BoxClient({ apiBaseUrl: localbox.url, uploadBaseUrl: `${localbox.url}/api` }, tokens);
    await assert.rejects(client.getFolder('0'), SignInRequiredError);
    const sent = Object.values(localbox.stats().requestsByOperation).reduce((sum, count) => sum + count, 0);
    assert.equal(sent, 0, 'nothing reached the server');
  });
});
