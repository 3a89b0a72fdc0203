import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepCharacters, shortenMiddle } from '../../renderer/components/middle-ellipsis.ts';

/** A monospace stand-in for the canvas: every character one unit wide. */
const fitsIn = (units: number) => (text: string) => text.length <= units;

describe('names shortened in the middle', () => {
  it('keeps a name that fits whole', () => {
    assert.equal(shortenMiddle('meeting-notes.pdf', fitsIn(17)), 'meeting-notes.pdf');
  });

  it('keeps the start, the end and the extension, and uses all the room there is', () => {
    const name = `${'quarterly-review-'.repeat(6)}v3-DRAFT.mov`;
    const shown = shortenMiddle(name, fitsIn(30));
    assert.equal(shown.length, 30);
    assert.match(shown, /^quarterly-rev….*v3-DRAFT\.mov$/);
  });

  it('two names differing only at the end stay apart even in little room', () => {
    const stem = 'x'.repeat(108);
    for (const room of [14, 20, 40, 80]) {
      const draft = shortenMiddle(`${stem}v3-DRAFT.mov`, fitsIn(room));
      const final = shortenMiddle(`${stem}v4-FINAL.mov`, fitsIn(room));
      assert.notEqual(draft, final, `${room}: ${draft}`);
      assert.ok(draft.endsWith('.mov') && draft.length <= room, draft);
    }
  });

  it('degrades to the ellipsis alone when nothing fits, and keeps short tails for names without an extension', () => {
    assert.equal(shortenMiddle('abcdef', fitsIn(0)), '…');
    assert.equal(keepCharacters('abcdefghijklmnopqrstuvwxyz', 10), 'abcd…uvwxyz');
  });
});
