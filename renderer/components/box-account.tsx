import { useEffect, useId, useRef, useState } from 'react';
import { formatBytes } from '../../shared/format.ts';
import { sameServer, signInAvailabilityFor, type AccountView, type SettingsView } from '../../shared/settings-model.ts';
import { errorMessage, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';

export interface ServerDraft {
  apiBaseUrl: string;
  uploadBaseUrl: string;
}

/** Box reports "unlimited" storage as a huge number (about 1 PB and up). */
const UNLIMITED_SPACE_BYTES = 1e15;

/** "1.2 GB used of 10 GB"; empty when the server did not say. */
export function spaceText({ spaceUsedBytes: used, spaceAmountBytes: total }: AccountView): string {
  if (used === undefined) return '';
  return total === undefined || total >= UNLIMITED_SPACE_BYTES
    ? `${formatBytes(used)} used`
    : `${formatBytes(used)} used of ${formatBytes(total)}`;
}

/** Whether these are the saved server's URLs (its credentials apply), as typed in the form. */
export function isSavedServer(server: ServerDraft, settings: SettingsView): boolean {
  const typed = {
    kind: 'custom' as const,
    apiBaseUrl: server.apiBaseUrl.trim(),
    uploadBaseUrl: server.uploadBaseUrl.trim(),
  };
  return sameServer(settings.target, typed);
}

/**
 * Signs in to the server in the system browser; resolves when Hoist has the account (main brings
 * the window to the front). A failure becomes a sentence for the caller to show.
 */
export async function signInTo(server: ServerDraft): Promise<string | undefined> {
  try {
    await hoist().signIn({ apiBaseUrl: server.apiBaseUrl.trim(), uploadBaseUrl: server.uploadBaseUrl.trim() });
    return undefined;
  } catch (failure) {
    return errorMessage(failure);
  }
}

/** "Signed in as Name (login)", space used of total, and Sign out. */
function AccountLine({
  settings,
  onSignedOut,
  onSignIn,
  focusSignOut,
}: {
  settings: SettingsView;
  onSignedOut(problem?: string): void;
  /** With a pasted token: a real sign-in instead (it refreshes itself). */
  onSignIn(): void;
  /** Right after signing in: focus stays in the section instead of falling to the page. */
  focusSignOut: boolean;
}) {
  const { account, credential } = settings;
  const signOutButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusSignOut) signOutButton.current?.focus();
  }, [focusSignOut]);
  const who = account ? `${account.name} (${account.login})` : undefined;
  const signOut = async () => {
    try {
      await hoist().signOut();
      onSignedOut();
    } catch (failure) {
      onSignedOut(errorMessage(failure));
    }
  };
  return (
    <div className="account-line" role="status">
      <p>
        <strong>
          {credential === 'sign-in'
            ? who
              ? `Signed in as ${who}`
              : 'Signed in'
            : who
              ? `Using an access token for ${who}`
              : 'Using an access token'}
        </strong>
        {account && spaceText(account) && <span className="account-space"> · {spaceText(account)}</span>}
      </p>
      {credential === 'developer-token' && signInAvailabilityFor(settings).ready && (
        <button type="button" onClick={onSignIn}>
          Sign in with Box instead
        </button>
      )}
      <button type="button" ref={signOutButton} onClick={() => void signOut()}>
        {credential === 'sign-in' ? 'Sign out' : 'Forget the token'}
      </button>
    </div>
  );
}

/** "Use your own Box app": a client ID and secret from Box's developer console. */
function OwnBoxApp({ settings }: { settings: SettingsView }) {
  const [clientId, setClientId] = useState(settings.ownAppClientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [message, setMessage] = useState<{ text: string; problem: boolean }>();
  const setApp = async (app: { clientId: string; clientSecret: string } | null) => {
    try {
      await hoist().setBoxApp({ app });
      setClientSecret('');
      if (!app) setClientId('');
      setMessage({ text: app ? 'Your Box app is saved.' : 'Hoist’s own Box app is used again.', problem: false });
    } catch (failure) {
      setMessage({ text: errorMessage(failure), problem: true });
    }
  };
  return (
    <details className="own-app" open={settings.ownAppClientId !== undefined}>
      <summary>Use your own Box app</summary>
      <p className="hint">
        A Custom App with “User Authentication (OAuth 2.0)” in Box’s developer console, with the redirect URI
        http://127.0.0.1 (any port). Used only to sign in to Box (api.box.com): other servers never receive its secret,
        and use Hoist’s built-in app or a pasted token.
      </p>
      <label>
        Client ID
        <input type="text" autoComplete="off" value={clientId} onChange={(event) => setClientId(event.target.value)} />
      </label>
      <label>
        Client secret
        <input
          type="password"
          autoComplete="off"
          value={clientSecret}
          placeholder={settings.ownAppClientId ? 'Saved; type to replace it' : ''}
          onChange={(event) => setClientSecret(event.target.value)}
        />
      </label>
      <div className="inline-actions">
        <button
          type="button"
          onClick={() => void setApp({ clientId: clientId.trim(), clientSecret: clientSecret.trim() })}
        >
          Save app
        </button>
        {settings.ownAppClientId !== undefined && (
          <button type="button" onClick={() => void setApp(null)}>
            Forget my app
          </button>
        )}
      </div>
      {message && (
        <p className={message.problem ? 'form-error' : 'hint'} role={message.problem ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </details>
  );
}

/**
 * The Settings section "Box account" for the server in the form: who is signed in there (or Sign
 * in with Box), the Box app sign-in uses, and, under Advanced, a pasted access token.
 */
export function BoxAccount({
  server,
  settings,
  token,
  onTokenChange,
}: {
  server: ServerDraft;
  settings: SettingsView;
  token: string;
  onTokenChange(token: string): void;
}) {
  const [signingIn, setSigningIn] = useState(false);
  const [justSignedIn, setJustSignedIn] = useState(false);
  const [problem, setProblem] = useState<string>();
  const missingId = useId();
  const saved = isSavedServer(server, settings);
  // The person's own Box app goes to Box only: another server may have no app to sign in with.
  const availability = signInAvailabilityFor(settings, server.apiBaseUrl);
  const signedIn = saved && settings.credential !== 'none';
  const signIn = async () => {
    setProblem(undefined);
    setSigningIn(true);
    const failure = await signInTo(server);
    setSigningIn(false);
    setJustSignedIn(!failure);
    setProblem(failure);
  };
  const cancel = () =>
    void hoist()
      .cancelSignIn()
      .catch(() => undefined);
  return (
    <section className="box-account" aria-labelledby="box-account-title">
      <h3 id="box-account-title">Box account</h3>
      {signingIn ? (
        <div className="signing-in" role="status">
          <p>Finish signing in in your browser; Hoist waits for it.</p>
          {/* Focus moves from the button that went away to the one that stops the wait. */}
          <button type="button" autoFocus onClick={cancel}>
            Cancel sign-in
          </button>
        </div>
      ) : signedIn ? (
        <AccountLine
          settings={settings}
          onSignedOut={setProblem}
          onSignIn={() => void signIn()}
          focusSignOut={justSignedIn}
        />
      ) : (
        <div className="sign-in">
          <button
            type="button"
            className="primary"
            disabled={!availability.ready}
            aria-describedby={availability.ready ? undefined : missingId}
            onClick={() => void signIn()}
          >
            Sign in with Box
          </button>
          {!availability.ready && (
            <p id={missingId} className="hint">
              {availability.missing}
            </p>
          )}
          {!saved && settings.target.kind === 'custom' && (
            <p className="hint">Another server: its own sign-in or token is needed; the current one stays with it.</p>
          )}
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <OwnBoxApp settings={settings} />
      <details className="advanced">
        <summary>Advanced: use an access token</summary>
        <label>
          Access token <span className="hint">(a Box developer token works, for testing)</span>
          <input
            type="password"
            autoComplete="off"
            value={token}
            placeholder={
              saved && settings.credential === 'developer-token'
                ? 'A token is saved; type to replace it'
                : 'Paste a token'
            }
            onChange={(event) => onTokenChange(event.target.value)}
          />
        </label>
      </details>
    </section>
  );
}

/** For a job waiting for sign-in: signs in to the current server again. */
export function SignInAgain({ fileName }: { fileName: string }) {
  const target = useHoist((state) => (state.settings?.target.kind === 'custom' ? state.settings.target : undefined));
  const notify = useHoist((state) => state.notify);
  const [busy, setBusy] = useState(false);
  if (!target) return null;
  return (
    <div className="choices">
      <button
        type="button"
        disabled={busy}
        aria-label={`Sign in to continue ${fileName}`}
        onClick={() => {
          setBusy(true);
          void signInTo(target).then((failure) => {
            setBusy(false);
            if (failure) notify({ level: 'error', message: failure });
          });
        }}
      >
        {busy ? 'Waiting for the browser…' : 'Sign in'}
      </button>
    </div>
  );
}
