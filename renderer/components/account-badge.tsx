import { useHoist } from '../store/hoist-store.ts';

/**
 * The account line in the header, for a Box account or compatible server: who Hoist uploads as,
 * or, with no sign-in or token for that server, a way to Settings to sign in.
 */
export function AccountBadge() {
  const settings = useHoist((state) => state.settings);
  const openSettings = useHoist((state) => state.setSettingsOpen);
  if (settings?.target.kind !== 'custom') return null;
  if (settings.credential === 'none')
    return (
      <button type="button" className="account-badge needs-sign-in" onClick={() => openSettings(true)}>
        Not signed in: sign in…
      </button>
    );
  if (!settings.account) return null;
  const { name, login } = settings.account;
  return (
    <span className="account-badge" title={`Uploading as ${name} (${login})`}>
      {name || login}
    </span>
  );
}
