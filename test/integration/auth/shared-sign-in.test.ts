import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileTokenStore } from '../../../electron/box/oauth/file-token-store.ts';
import { oauthEndpointsFor } from '../../../electron/box/oauth/oauth-endpoints.ts';
import { OAuthTokenSource } from '../../../electron/box/oauth/oauth-token-source.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';
import { appOf, browserSignIn, storedFor } from '../../helpers/oauth-sign-in.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('one sign-in shared by two processes (two `hoist upload` runs)', () => {
  it('the second to find its token stale takes up the pair the first saved, instead of spending a used refresh token', async (t) => {
    const localbox = await localboxFor(t);
    const path = join(await tempDir(t), 'sign-in.json');
    const hoistRun = () =>
      new OAuthTokenSource({
        endpoints: oauthEndpointsFor(localbox.url),
        app: appOf(localbox),
        // Each "process" reads the file through a store of its own, as two runs of hoist do.
        store: new FileTokenStore(path, { app: appOf(localbox) }),
      });
    await new FileTokenStore(path, { app: appOf(localbox) }).save(storedFor(localbox, await browserSignIn(localbox)));
    const first = hoistRun();
    const second = hoistRun();
    const old = await second.current();

    await first.refresh(await first.current()); // Box rotates the pair; the old refresh token is spent
    const refreshes = localbox.stats().tokenRequests.refresh_token;
    assert.equal(refreshes, 1);

    assert.equal(await second.refresh(old), true, 'not asked to sign in again');
    assert.equal(await second.current(), await first.current(), 'the pair the first process saved');
    assert.equal(localbox.stats().tokenRequests.refresh_token, refreshes, 'no refresh with the spent token');
    assert.equal(second.needsSignIn, false);
  });

  it('a pair this run could not save is not mistaken for another run’s: the stale one saved is never taken up again', async (t) => {
    const localbox = await localboxFor(t);
    const path = join(await tempDir(t), 'sign-in.json');
    const file = new FileTokenStore(path, { app: appOf(localbox) });
    await file.save(storedFor(localbox, await browserSignIn(localbox)));
    let refuse = false;
    const store = {
      load: () => file.load(),
      save: async (signIn: Parameters<FileTokenStore['save']>[0]) => {
        if (refuse) throw new Error('disk full');
        await file.save(signIn);
      },
      clear: () => file.clear(),
    };
    const failures: Error[] = [];
    const tokens = new OAuthTokenSource({
      endpoints: oauthEndpointsFor(localbox.url),
      app: appOf(localbox),
      store,
      onSaveError: (error) => failures.push(error),
    });
    const first = await tokens.current();
    refuse = true;
    await tokens.refresh(first); // rotated, kept in memory only: the file still holds the spent pair
    const second = await tokens.current();
    assert.equal(failures.length, 1);
    await tokens.refresh(second);
    const third = await tokens.current();
    assert.ok(![first, second].includes(third), 'refreshed with the pair held in memory');
    assert.equal(tokens.needsSignIn, false);
    assert.equal(localbox.stats().tokenRequests.refresh_token, 2);
  });
});
