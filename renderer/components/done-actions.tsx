import { act, hoist } from '../hoist-bridge.ts';
import { Icon } from './icons.tsx';

/**
 * Open on Box and Copy shared link, for a finished upload (a done row, or an entry of the recent
 * uploads): main opens the file's page in the browser, or makes the link and copies it (its
 * notice says what was copied). The upload is named by its job id, never by a Box file id.
 */
export function DoneActions({ id, fileName }: { id: string; fileName: string }) {
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={`Open ${fileName} on Box`}
        title="Open on Box"
        onClick={() => void act(() => hoist().openOnBox({ id }))}
      >
        <Icon name="external" />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Copy a shared link to ${fileName}`}
        title="Copy shared link"
        onClick={() => void act(async () => void (await hoist().copySharedLink({ id })))}
      >
        <Icon name="link" />
      </button>
    </>
  );
}
