import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ResumableSha1, sha1BackendName } from '../../electron/engine/sha1/resumable-sha1.ts';
import { portableDigest, portableUpdate } from '../../electron/engine/sha1/sha1-portable.ts';
import { createInitialState, loadState, saveState } from '../../electron/engine/sha1/sha1-state.ts';
import { createWasmSha1 } from '../../electron/engine/sha1/sha1-wasm.ts';

const opensslSha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');

describe('ResumableSha1', () => {
  it('uses the native addon where it was built', () => {
    assert.match(sha1BackendName(), /^native-/);
  });

  it('matches OpenSSL for every length around block boundaries, fed in uneven slices', () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      const hash = ResumableSha1.create();
      for (let at = 0; at < length; at += 7) hash.update(data.subarray(at, Math.min(length, at + 7)));
      assert.equal(hash.digest().toString('hex'), opensslSha1(data), `length ${length}`);
    }
  });

  it('continues after save and restore at any offset, as after a restart', () => {
    const data = randomBytes(5 * 1024 * 1024 + 1);
    for (const cut of [0, 1, 63, 64, 65, 5 * 1024 * 1024 + 1, 1234567]) {
      const first = ResumableSha1.create();
      first.update(data.subarray(0, cut));
      const saved = JSON.parse(JSON.stringify(first.save()));
      const resumed = ResumableSha1.restore(saved);
      assert.equal(resumed.bytesHashed, cut);
      resumed.update(data.subarray(cut));
      assert.equal(resumed.digest().toString('hex'), opensslSha1(data), `cut at ${cut}`);
    }
  });

  it('feeds two hashes in one pass, aligned or not, with the same result as two passes', () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    for (const prefixBytes of [0, 64, 640, 1, 63, 100]) {
      const whole = ResumableSha1.create();
      whole.update(data.subarray(0, prefixBytes));
      const part = ResumableSha1.create();
      for (let at = prefixBytes; at < data.length; at += 1_000_003) {
        ResumableSha1.updateBoth(part, whole, data.subarray(at, Math.min(data.length, at + 1_000_003)));
      }
      assert.equal(whole.digest().toString('hex'), opensslSha1(data), `whole, prefix ${prefixBytes}`);
      assert.equal(
        part.digest().toString('hex'),
        opensslSha1(data.subarray(prefixBytes)),
        `part, prefix ${prefixBytes}`,
      );
    }
  });

  it('leaves the state untouched when a digest is taken midway', () => {
    const hash = ResumableSha1.create();
    hash.update(Buffer.from('hello '));
    assert.equal(hash.digest().toString('hex'), opensslSha1(Buffer.from('hello ')));
    hash.update(Buffer.from('world'));
    assert.equal(hash.digest().toString('hex'), opensslSha1(Buffer.from('hello world')));
  });

  it('the portable fallback reads and writes the very same state as the addon', () => {
    const data = randomBytes(100_003);
    const native = ResumableSha1.create();
    native.update(data.subarray(0, 50_001));
    const state = loadState(native.save());
    portableUpdate(state, data.subarray(50_001));
    assert.equal(portableDigest(state).toString('hex'), opensslSha1(data));
    const fromPortable = createInitialState();
    portableUpdate(fromPortable, data.subarray(0, 777));
    const back = ResumableSha1.restore(saveState(fromPortable));
    back.update(data.subarray(777));
    assert.equal(back.digest().toString('hex'), opensslSha1(data));
  });

  it('runs on the portable fallback when asked, and says so', () => {
    const script = `import { ResumableSha1, sha1BackendName } from './electron/engine/sha1/resumable-sha1.ts';
      const h = ResumableSha1.create(); h.update(Buffer.from('abc')); console.log(sha1BackendName(), h.digest().toString('hex'));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, HOIST_SHA1_IMPL: 'portable' },
      encoding: 'utf8',
    });
    assert.equal(run.stdout.trim(), `portable-ts ${opensslSha1(Buffer.from('abc'))}`);
  });

  it('the WebAssembly fallback reads and writes the very same state as the addon', async () => {
    const wasmSha1 = await createWasmSha1();
    for (const cut of [0, 1, 63, 64, 65, 50_001, 100_003]) {
      const data = randomBytes(100_003);
      const native = ResumableSha1.create();
      native.update(data.subarray(0, cut));
      const state = loadState(native.save());
      for (let at = cut; at < data.length; at += 9_999) wasmSha1.update(state, data.subarray(at, at + 9_999));
      assert.equal(wasmSha1.digest(state).toString('hex'), opensslSha1(data), `native then wasm, cut ${cut}`);
      const fromWasm = createInitialState();
      wasmSha1.update(fromWasm, data.subarray(0, cut));
      assert.deepEqual(saveState(fromWasm), native.save(), `same saved state, cut ${cut}`);
      const back = ResumableSha1.restore(saveState(fromWasm));
      back.update(data.subarray(cut));
      assert.equal(back.digest().toString('hex'), opensslSha1(data), `wasm then native, cut ${cut}`);
    }
  });

  it('without the addon, parts hash with OpenSSL and the whole file in WebAssembly, and say so', () => {
    const script = `import { prepareSha1, ResumableSha1, sha1BackendName } from './electron/engine/sha1/resumable-sha1.ts';
      await prepareSha1();
      const whole = ResumableSha1.create(); const part = ResumableSha1.forPart();
      ResumableSha1.updateBoth(part, whole, Buffer.from('abc'));
      console.log(sha1BackendName(), whole.digest().toString('hex'), part.digest().toString('hex'));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, HOIST_SHA1_IMPL: 'wasm' },
      encoding: 'utf8',
    });
    const abc = opensslSha1(Buffer.from('abc'));
    assert.equal(run.stdout.trim(), `wasm+openssl ${abc} ${abc}`, run.stderr);
  });

  it('rejects a saved state that does not add up', () => {
    assert.throws(() => loadState({ bytesHashed: 3, h: '0'.repeat(40), pendingBase64: '' }), /pending bytes/);
    assert.throws(() => loadState({ bytesHashed: -1, h: '0'.repeat(40), pendingBase64: '' }), /invalid length/);
    assert.throws(() => loadState({ bytesHashed: 0, h: 'xyz', pendingBase64: '' }), /hex/);
  });
});
