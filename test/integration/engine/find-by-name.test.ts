import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findByName } from '../../../electron/engine/landed-check.ts';
import { clientFor } from '../../helpers/engine-fixture.ts';
import { localboxFor } from '../../helpers/localbox-fixture.ts';

describe('finding an item by name in a folder on Box', () => {
  it('matches as Box compares names, whatever the case, and in either Unicode form of an accent', async (t) => {
    const localbox = await localboxFor(t);
    const client = clientFor(localbox);
    const composed = 'R\u00e9sum\u00e9s'; // "é" as one code point, as Windows and Linux write it
    const decomposed = 'Re\u0301sume\u0301s'; // "e" + combining accent, as macOS writes it
    const folder = await client.createFolder(composed, '0');
    const context = { client, signal: new AbortController().signal };
    for (const name of [composed, decomposed, decomposed.toUpperCase(), 'résumés'])
      assert.equal((await findByName('0', name, context))?.id, folder.id, name);
    assert.equal(await findByName('0', 'Resumes', context), undefined, 'other letters are another name');
  });
});
