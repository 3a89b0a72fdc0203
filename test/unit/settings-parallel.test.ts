import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsStore, type KeyValueStore } from '../../electron/service/settings-store.ts';

function storeWith(values: Record<string, unknown>): KeyValueStore {
  const map = new Map(Object.entries(values));
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    delete: (key) => void map.delete(key),
  };
}

describe('parts in parallel, as saved', () => {
  it('defaults to "auto", keeps "auto" and numbers saved before it existed, and drops anything else', () => {
    assert.equal(new SettingsStore(storeWith({})).read().parallel, 'auto');
    assert.equal(new SettingsStore(storeWith({ parallel: 'auto' })).read().parallel, 'auto');
    assert.equal(new SettingsStore(storeWith({ parallel: 4 })).read().parallel, 4, 'an older saved number stays');
    for (const bad of [0, 9, 2.5, '4', 'fast', null]) {
      assert.equal(new SettingsStore(storeWith({ parallel: bad })).read().parallel, 'auto', String(bad));
    }
  });
});
