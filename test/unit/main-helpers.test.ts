import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY, isExternalWebLink } from '../../electron/main/content-security.ts';
import { isTrustedSender } from '../../electron/main/ipc-registry.ts';
import { filesFromArgv } from '../../electron/main/launch-files.ts';
import { menuTemplate } from '../../electron/main/menu-template.ts';
import { appFilePath } from '../../electron/main/renderer-files.ts';
import { restorableBounds } from '../../electron/main/window-state.ts';

describe('main process helpers', () => {
  it('takes files from the command line and from a second launch', () => {
    assert.deepEqual(filesFromArgv(['/opt/Hoist/hoist', 'a.bin', '--flag', '/abs/b.bin'], '/home/me', true), [
      '/home/me/a.bin',
      '/abs/b.bin',
    ]);
    assert.deepEqual(filesFromArgv(['/usr/bin/electron', '/repo', 'c.bin'], '/tmp', false), ['/tmp/c.bin']);
  });

  it('restores window bounds only when they are sane and on a display', () => {
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    assert.deepEqual(restorableBounds({ x: 100, y: 100, width: 900, height: 600 }, [display]), {
      x: 100,
      y: 100,
      width: 900,
      height: 600,
    });
    assert.equal(
      restorableBounds({ x: 3000, y: 100, width: 900, height: 600 }, [display]),
      undefined,
      'its monitor is gone',
    );
    assert.equal(restorableBounds({ x: 0, y: 0, width: 100, height: 100 }, [display]), undefined, 'too small');
    assert.equal(restorableBounds('garbage', [display]), undefined);
  });

  it('serves only files inside the renderer directory', () => {
    assert.equal(appFilePath('/app/renderer', 'app://hoist/index.html'), '/app/renderer/index.html');
    assert.equal(appFilePath('/app/renderer', 'app://hoist/'), '/app/renderer/index.html');
    assert.equal(appFilePath('/app/renderer', 'app://hoist/assets/index.js'), '/app/renderer/assets/index.js');
    assert.equal(appFilePath('/app/renderer', 'app://hoist/..%2F..%2Fetc%2Fpasswd'), undefined);
    assert.equal(appFilePath('/app/renderer', 'app://hoist/%E0%A4%A'), undefined);
  });

  it('trusts only the app’s own top frame', () => {
    const top = { url: 'app://hoist/index.html', top: null as unknown };
    top.top = top;
    assert.equal(isTrustedSender(top as never), true);
    assert.equal(isTrustedSender({ url: 'app://hoist/index.html', top: top } as never), false, 'an iframe');
    assert.equal(isTrustedSender({ url: 'https://hoist/', top: null } as never), false);
    assert.equal(isTrustedSender(null), false);
  });

  it('has a strict CSP and opens only web links outside', () => {
    for (const rule of [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'none'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      assert.ok(CONTENT_SECURITY_POLICY.includes(rule), rule);
    }
    assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe'), 'no unsafe-inline or unsafe-eval');
    assert.equal(isExternalWebLink('https://box.com'), true);
    assert.equal(isExternalWebLink('file:///etc/passwd'), false);
    assert.equal(isExternalWebLink('javascript:alert(1)'), false);
  });

  it('builds each platform’s menu: About, Preferences, Quit, Edit, Window, Help', () => {
    const actions = { addFiles() {}, addFolder() {}, openSettings() {}, revealLogs() {}, about() {} };
    const labels = (platform: NodeJS.Platform) =>
      JSON.stringify(menuTemplate(platform, actions), (key, value) => (key === 'click' ? undefined : value));
    const mac = labels('darwin');
    for (const item of [
      '"About Hoist"',
      '"Settings…"',
      '"quit"',
      '"editMenu"',
      '"windowMenu"',
      '"help"',
      '"Reveal Logs"',
      '"Add Files…"',
      '"Add Folder…"',
    ])
      assert.ok(mac.includes(item), `mac ${item}`);
    const linux = labels('linux');
    for (const item of [
      '"About Hoist"',
      '"Preferences…"',
      '"quit"',
      '"editMenu"',
      '"&Window"',
      '"help"',
      '"Reveal Logs"',
      '"&File"',
      '"Add Folder…"',
    ])
      assert.ok(linux.includes(item), `linux ${item}`);
  });
});
