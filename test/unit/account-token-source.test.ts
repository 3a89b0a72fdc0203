import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInRequiredError } from '../../electron/box/oauth/oauth-client.ts';
import { FixedTokenSource } from '../../electron/box/token-source.ts';
import { AccountTokenSource } from '../../electron/service/account-token-source.ts';

const ORIGINS = { apiOrigin: 'https://api.box.com', uploadOrigin: 'https://upload.box.com' };
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('the app’s per-server token source', () => {
  it('is bound to its server’s two origins whatever credential is inside', () => {
    const tokens = new AccountTokenSource(ORIGINS);
    assert.deepEqual(tokens.origins, ['https://api.box.com', 'https://upload.box.com']);
    tokens.use(new FixedTokenSource('t'));
    assert.deepEqual(tokens.origins, ['https://api.box.com', 'https://upload.box.com']);
  });

  it('without a credential asks for sign-in instead of sending anything', async () => {
    const tokens = new AccountTokenSource(ORIGINS);
    assert.throws(() => tokens.current(), SignInRequiredError);
    await assert.rejects(tokens.refresh(), SignInRequiredError);
  });

  it('a pasted token cannot be refreshed: the job waits until another credential arrives, then goes on', async () => {
    const tokens = new AccountTokenSource(ORIGINS);
    tokens.use(new FixedTokenSource('old'));
    assert.equal(tokens.current(), 'old');
    assert.equal(await tokens.refresh('old'), false);
    const waiting = tokens.waitForNewToken(new AbortController().signal);
    assert.equal(await settled(waiting), false, 'still waiting');
    tokens.use(new FixedTokenSource('new'));
    assert.equal(await waiting, true);
    assert.equal(tokens.current(), 'new');
  });

  it('a job told to sign in just before a new credential arrived does not wait for another', async () => {
    const tokens = new AccountTokenSource(ORIGINS);
    let told: SignInRequiredError | undefined;
    try {
      tokens.current();
    } catch (error) {
      told = error as SignInRequiredError;
    }
    assert.ok(told instanceof SignInRequiredError);
    tokens.use(new FixedTokenSource('arrived'));
    assert.equal(await tokens.waitForNewToken(new AbortController().signal, told.signInGeneration), true);
  });

  it('a wait ends when its job is stopped, and leaves nothing behind', async () => {
    const tokens = new AccountTokenSource(ORIGINS);
    const stop = new AbortController();
    const waiting = tokens.waitForNewToken(stop.signal);
    stop.abort(new Error('paused'));
    await assert.rejects(waiting, /paused/);
    tokens.use(new FixedTokenSource('later')); // wakes nobody, throws nothing
  });
});
