import { useId, useState } from 'react';
import { signInAvailabilityFor, type SettingsView } from '../../shared/settings-model.ts';
import { errorMessage, hoist } from '../hoist-bridge.ts';
import { useHoist } from '../store/hoist-store.ts';
import { signInTo } from './box-account.tsx';

/** Uploads go to a Box account, and Hoist holds no sign-in or token for it. */
export const signedOut = (settings: SettingsView | undefined): boolean =>
  settings?.target.kind === 'custom' && settings.credential === 'none';

/**
 * The first screen when uploads go to a Box account Hoist is not signed in to: Sign in with Box
 * first, and the embedded local Box for trying Hoist without an account.
 */
export function SignInFirst({ settings }: { settings: SettingsView }) {
  const openSettings = useHoist((state) => state.setSettingsOpen);
  const [signingIn, setSigningIn] = useState(false);
  const [problem, setProblem] = useState<string>();
  const missingId = useId();
  const availability = signInAvailabilityFor(settings);
  if (settings.target.kind !== 'custom') return null;
  const target = settings.target;
  const signIn = async () => {
    setProblem(undefined);
    setSigningIn(true);
    const failure = await signInTo(target);
    setSigningIn(false);
    setProblem(failure);
  };
  const tryLocal = async () => {
    setProblem(undefined);
    try {
      await hoist().updateSettings({ target: { kind: 'embedded' } });
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  };
  return (
    <section className="empty-state" aria-labelledby="sign-in-first-title">
      <div className="drop-target sign-in-first">
        <h2 id="sign-in-first-title">Sign in with Box to upload to your account</h2>
        <p>
          Hoist uploads to <strong>{settings.targetLabel}</strong>. Signing in happens in your browser; Hoist waits for
          it.
        </p>
        {signingIn ? (
          <div className="drop-actions" role="status">
            <p>Finish signing in in your browser.</p>
            {/* Focus moves from the button that went away to the one that stops the wait. */}
            <button
              type="button"
              className="large"
              autoFocus
              onClick={() =>
                void hoist()
                  .cancelSignIn()
                  .catch(() => undefined)
              }
            >
              Cancel sign-in
            </button>
          </div>
        ) : (
          <div className="drop-actions">
            <button
              type="button"
              className="primary large"
              disabled={!availability.ready}
              aria-describedby={availability.ready ? undefined : missingId}
              onClick={() => void signIn()}
            >
              Sign in with Box
            </button>
            <button type="button" className="large" onClick={() => void tryLocal()}>
              Try it without an account
            </button>
          </div>
        )}
        {!availability.ready && (
          <p id={missingId} className="hint">
            {availability.missing}{' '}
            <button type="button" className="link-button" onClick={() => openSettings(true)}>
              Open Settings
            </button>
          </p>
        )}
        <p className="hint">
          Without an account, files go to the embedded local Box on this computer, to try Hoist out.
        </p>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
      </div>
    </section>
  );
}
