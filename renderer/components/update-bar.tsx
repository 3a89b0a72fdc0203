import { useEffect, useState } from 'react';
import type { UpdateView } from '../../shared/update-model.ts';
import { act, hoist } from '../hoist-bridge.ts';

/**
 * "Restart to update" once an update has downloaded. Main refuses to restart while uploads run,
 * so the button waits (and says so) until they have finished or are paused.
 */
export function UpdateBar() {
  const [update, setUpdate] = useState<UpdateView | undefined>();
  useEffect(() => {
    void hoist()
      .getUpdate()
      .then(setUpdate, () => undefined);
    return hoist().onUpdateChanged(setUpdate);
  }, []);
  if (update?.state !== 'ready') return null;
  return (
    <div className="update-bar" role="status">
      <span>Hoist {update.version} is ready to install.</span>
      <button
        type="button"
        className="primary"
        disabled={!update.canRestart}
        onClick={() => void act(() => hoist().restartToUpdate())}
      >
        Restart to update
      </button>
      {!update.canRestart && <span className="hint">once the uploads running now have finished</span>}
    </div>
  );
}
