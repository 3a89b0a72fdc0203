import { useEffect } from 'react';
import { useHoist } from '../store/hoist-store.ts';

/** Short messages (files that could not be added, journal warnings); announced politely. */
export function Notices() {
  const notices = useHoist((state) => state.notices);
  const dismiss = useHoist((state) => state.dismissNotice);
  useEffect(() => {
    const timers = notices.map((notice) =>
      setTimeout(() => dismiss(notice.id), notice.level === 'error' ? 12_000 : 6000),
    );
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`}>
          <span>{notice.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
