import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appFrom, envCredentialsOrigin } from '../../electron/cli/cli-sign-in.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import { isBoxServer } from '../../electron/service/box-apps.ts';

const OWN = { HOIST_CLIENT_ID: 'my-client', HOIST_CLIENT_SECRET: 'my-secret' };
const BUILT_IN = { clientId: 'built-in', clientSecret: 'built-in-secret' };

describe('which server the environment’s credentials are for', () => {
  it('Box when HOIST_API_URL is unset or empty, else the origin HOIST_API_URL names', () => {
    assert.equal(envCredentialsOrigin({}), 'https://api.box.com');
    assert.equal(envCredentialsOrigin({ HOIST_API_URL: '' }), 'https://api.box.com');
    assert.equal(envCredentialsOrigin({ HOIST_API_URL: 'https://staging.example/box/' }), 'https://staging.example');
    assert.throws(
      () => envCredentialsOrigin({ HOIST_API_URL: 'http://staging.example' }),
      (error: Error) => error instanceof UsageError && /^HOIST_API_URL must use https/.test(error.message),
    );
  });

  it('HOIST_CLIENT_ID and HOIST_CLIENT_SECRET name the app for their server only; flags go anywhere', () => {
    assert.deepEqual(appFrom({}, OWN, BUILT_IN, 'https://api.box.com'), {
      clientId: 'my-client',
      clientSecret: 'my-secret',
    });
    assert.deepEqual(
      appFrom({}, { ...OWN, HOIST_API_URL: 'https://staging.example' }, undefined, 'https://staging.example/'),
      { clientId: 'my-client', clientSecret: 'my-secret' },
    );
    // For Box, named elsewhere: Box's built-in app, never the one meant for staging.
    assert.deepEqual(
      appFrom({}, { ...OWN, HOIST_API_URL: 'https://staging.example' }, BUILT_IN, 'https://api.box.com'),
      BUILT_IN,
    );
    assert.throws(
      () => appFrom({}, OWN, undefined, 'https://staging.example'),
      /were not used: they are for https:\/\/api\.box\.com/,
    );
    // Half from a flag, half from the environment of another server: not mixed.
    assert.throws(
      () => appFrom({ 'client-id': 'x' }, OWN, undefined, 'https://staging.example'),
      /pass --client-id and --client-secret/,
    );
    assert.deepEqual(appFrom({ 'client-id': 'x', 'client-secret': 'y' }, OWN, undefined, 'https://staging.example'), {
      clientId: 'x',
      clientSecret: 'y',
    });
    // Both flags given: a HOIST_API_URL the environment's app could not use does not stop them.
    const unusable = { ...OWN, HOIST_API_URL: 'https://api.box.com/2.0' };
    assert.deepEqual(appFrom({ 'client-id': 'x', 'client-secret': 'y' }, unusable, undefined, 'https://api.box.com'), {
      clientId: 'x',
      clientSecret: 'y',
    });
  });

  it('the app’s own-app rule knows Box by https://api.box.com only', () => {
    assert.equal(isBoxServer('https://api.box.com'), true);
    assert.equal(isBoxServer('https://api.box.com/2.0'), true);
    for (const other of [
      'https://api.box.com:8443',
      'http://api.box.com',
      'https://api.box.com.evil.example',
      'http://127.0.0.1:9',
    ])
      assert.equal(isBoxServer(other), false, other);
  });
});
