import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distPlan } from '../../build/scripts/dist-config.ts';

const base = { appId: 'dev.hoist.desktop', mac: { hardenedRuntime: true } };

describe('npm run dist: signing, notarization and updates from the environment', () => {
  it('is all off when nothing is set: no keychain discovery, no notarization, no feed', () => {
    const plan = distPlan(base, {});
    assert.deepEqual(plan.env, { CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
    assert.deepEqual(plan.config['mac'], { hardenedRuntime: true, notarize: false });
    assert.equal(plan.config['publish'], null);
    assert.deepEqual(plan.summary, [
      'code signing: off (no CSC_LINK)',
      'macOS notarization: off (no APPLE_ID or APPLE_API_KEY)',
      'updates: off (no HOIST_UPDATE_URL)',
    ]);
  });

  it('leaves signing and notarization to electron-builder when their variables are set, and adds the feed', () => {
    const plan = distPlan(
      base,
      {
        CSC_LINK: '/secure/cert.p12',
        CSC_KEY_PASSWORD: 'x',
        APPLE_ID: 'dev@example.com',
        APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh',
        APPLE_TEAM_ID: 'TEAM123',
        HOIST_UPDATE_URL: 'https://downloads.example.com/hoist/',
      },
      'darwin',
    );
    assert.deepEqual(plan.env, {});
    assert.deepEqual(plan.config['mac'], { hardenedRuntime: true }, 'electron-builder notarizes from APPLE_*');
    assert.deepEqual(plan.config['publish'], [{ provider: 'generic', url: 'https://downloads.example.com/hoist/' }]);
    assert.ok(!JSON.stringify(plan).includes('abcd-efgh'), 'no secret is copied into the config');
  });

  it('refuses an update feed that is not https', () => {
    assert.throws(() => distPlan(base, { HOIST_UPDATE_URL: 'http://example.com/' }), /must be an https URL/);
  });

  it('refuses an update feed without code signing unless unsigned updates are asked for by name', () => {
    const feed = { HOIST_UPDATE_URL: 'https://downloads.example.com/hoist/' };
    assert.throws(() => distPlan(base, feed), /HOIST_UPDATE_URL needs code signing/);
    const unsigned = distPlan(base, { ...feed, HOIST_UPDATE_UNSIGNED: '1' });
    assert.deepEqual(unsigned.config['publish'], [{ provider: 'generic', url: feed.HOIST_UPDATE_URL }]);
    assert.ok(unsigned.summary.some((line) => /updates are unsigned/.test(line)));
  });

  it('asks which platform is signed: a Windows identity does not sign macOS, and Linux packages never are', () => {
    const feed = { HOIST_UPDATE_URL: 'https://downloads.example.com/hoist/' };
    assert.throws(() => distPlan(base, { ...feed, WIN_CSC_LINK: '/w.pfx' }, 'darwin'), /needs code signing/);
    assert.throws(() => distPlan(base, { ...feed, CSC_LINK: '/c.p12' }, 'linux'), /needs code signing/);
    assert.doesNotThrow(() => distPlan(base, { ...feed, WIN_CSC_LINK: '/w.pfx' }, 'win32'));
    assert.doesNotThrow(() => distPlan(base, { ...feed, CSC_NAME: 'Developer ID' }, 'darwin'));
  });
});
