/**
 * What `npm run dist` adds to build/electron-builder.json from the environment, each part off when
 * its variables are unset (a build without them is unsigned, not notarized, and never updates):
 *
 * - Code signing is electron-builder's own: CSC_LINK + CSC_KEY_PASSWORD (a .p12/.pfx, for macOS
 *   and Windows), or WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD for Windows alone, or CSC_NAME (a
 *   keychain identity on macOS). With none, keychain discovery is turned off too
 *   (CSC_IDENTITY_AUTO_DISCOVERY=false), so a developer's own certificate is never used by accident.
 * - Notarization (macOS) is electron-builder's own too (@electron/notarize with notarytool):
 *   APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_API_KEY + APPLE_API_KEY_ID +
 *   APPLE_API_ISSUER, or APPLE_KEYCHAIN_PROFILE. Unset, it is skipped.
 * - HOIST_UPDATE_URL (https): the generic feed electron-updater reads; electron-builder then
 *   writes latest.yml (latest-mac.yml, latest-linux.yml) beside the installers, to be copied there.
 *   Only with code signing, unless HOIST_UPDATE_UNSIGNED=1 says unsigned updates are meant.
 */
export interface DistPlan {
  config: Record<string, unknown>;
  /** Variables to set for electron-builder. */
  env: Record<string, string>;
  /** One line each: what this build does about signing, notarization and updates. */
  summary: string[];
}

export function distPlan(
  base: Record<string, unknown>,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): DistPlan {
  const config: Record<string, unknown> = { ...base };
  const extraEnv: Record<string, string> = {};
  const summary: string[] = [];
  const signs = Boolean(env['CSC_LINK'] || env['CSC_NAME'] || env['WIN_CSC_LINK']);
  if (!signs && env['CSC_IDENTITY_AUTO_DISCOVERY'] === undefined) extraEnv['CSC_IDENTITY_AUTO_DISCOVERY'] = 'false';
  summary.push(signs ? 'code signing: on (CSC_LINK / WIN_CSC_LINK / CSC_NAME)' : 'code signing: off (no CSC_LINK)');
  const notarizes = Boolean(
    (env['APPLE_ID'] && env['APPLE_APP_SPECIFIC_PASSWORD'] && env['APPLE_TEAM_ID']) ||
    (env['APPLE_API_KEY'] && env['APPLE_API_KEY_ID'] && env['APPLE_API_ISSUER']) ||
    env['APPLE_KEYCHAIN_PROFILE'],
  );
  if (!notarizes) config['mac'] = { ...(base['mac'] as Record<string, unknown>), notarize: false };
  summary.push(notarizes ? 'macOS notarization: on' : 'macOS notarization: off (no APPLE_ID or APPLE_API_KEY)');
  const feed = env['HOIST_UPDATE_URL']?.trim();
  if (feed) {
    if (!feed.startsWith('https://')) throw new Error(`HOIST_UPDATE_URL must be an https URL, not "${feed}"`);
    // Unsigned, an update is checked only against the SHA-512 its own feed lists: whoever takes
    // the feed over runs code on every install. That has to be asked for by name.
    // Only this platform's installers are built: they are signed only by this platform's identity,
    // and Linux packages are never signed.
    const signsHere =
      platform === 'darwin'
        ? Boolean(env['CSC_LINK'] || env['CSC_NAME'])
        : platform === 'win32'
          ? Boolean(env['CSC_LINK'] || env['WIN_CSC_LINK'])
          : false;
    if (!signsHere && env['HOIST_UPDATE_UNSIGNED'] !== '1')
      throw new Error(
        'HOIST_UPDATE_URL needs code signing (CSC_LINK, WIN_CSC_LINK or CSC_NAME): unsigned updates are trusted only as far as the feed. Set HOIST_UPDATE_UNSIGNED=1 to build them anyway (Linux builds cannot be signed).',
      );
    if (!signsHere)
      summary.push('updates are unsigned: HOIST_UPDATE_UNSIGNED=1, so they are trusted as far as the feed');
    config['publish'] = [{ provider: 'generic', url: feed }];
    summary.push(`updates: from ${feed} (copy latest*.yml and the installers there)`);
  } else {
    config['publish'] = null;
    summary.push('updates: off (no HOIST_UPDATE_URL)');
  }
  return { config, env: extraEnv, summary };
}
