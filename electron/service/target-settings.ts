import { ROOT_DESTINATION } from '../../shared/folder-model.ts';
import { FINISHED_STATES, type Notice } from '../../shared/job-model.ts';
import type { SettingsPatch, SettingsView, TargetSetting } from '../../shared/settings-model.ts';
import type { BoxClientOptions } from '../box/box-client.ts';
import { UploadRateLimit } from '../box/upload-rate-limit.ts';
import { appSend } from './app-network.ts';
import type { CurrentUploads } from './current-uploads.ts';
import { destinationOf } from './folder-browser.ts';
import type { Logger } from './rotating-log.ts';
import { ServiceError } from './service-error.ts';
import type { ServiceEmitter, UploadServiceOptions } from './service-options.ts';
import { openServiceTarget, sameTargetSetting, type ServiceTarget } from './service-target.ts';
import type { SettingsStore } from './settings-store.ts';
import { AccountActions, confirmCredentialChange, TargetAccounts, type PersonQuestions } from './target-accounts.ts';

/** What TargetSettings needs of the service around it. */
export interface TargetSettingsContext {
  options: UploadServiceOptions;
  logger: Logger;
  current: CurrentUploads;
  events: ServiceEmitter;
  /** Closes the current target and its queue and takes `opened`, with its journal's jobs, instead. */
  replaceTarget(opened: ServiceTarget): Promise<void>;
}

/**
 * The settings and where uploads go: the settings the person changes, the upload speed limit (one
 * for the service, so it outlives a change of target), how clients send (the app's network), the
 * servers' accounts, and the change of target itself, refused while uploads are unfinished and
 * confirmed by the person before uploads go to another server.
 */
export class TargetSettings {
  /** Sign in, sign out, the Box app (IPC's account:* channels). */
  readonly actions: AccountActions;
  readonly #accounts: TargetAccounts;
  readonly #context: TargetSettingsContext;
  readonly #store: SettingsStore;
  readonly #uploadRate: UploadRateLimit;
  /** How every client of the service sends: the upload limit and the app's network (proxies, CAs). */
  readonly #clientOptions: BoxClientOptions;

  constructor(context: TargetSettingsContext) {
    const { options, events, current } = context;
    this.#context = context;
    this.#store = options.settings;
    this.#uploadRate = new UploadRateLimit(
      options.settings.read().uploadLimitBytesPerSec ?? undefined,
      options.rateClock,
    );
    const send = appSend(options.network, options.secrets);
    this.#clientOptions = { uploadRate: this.#uploadRate, ...(send ? { send } : {}) };
    this.#accounts = new TargetAccounts({
      ...options,
      send,
      onSignInSaveError: (error) =>
        events.emit('notice', {
          level: 'warning',
          message: `Hoist could not save your Box sign-in: ${error.message}; you may need to sign in again after a restart.`,
        }),
    });
    this.actions = new AccountActions(this.#accounts, {
      target: () => ({ setting: this.#store.read().target, account: current.target().account }),
      refuseChangeWhileUnfinished: () => this.#refuseChangeWhileUnfinished(),
      switchTo: (setting) => this.#switchTo(setting),
      clientOptions: this.#clientOptions,
      signedIn: () => events.emit('signed-in'),
      settingsChanged: () => this.changed(),
      logger: context.logger,
    });
  }

  /** Opens a target with the credential stored for its server (none for the embedded localbox). */
  #openTarget(setting: TargetSetting): Promise<ServiceTarget> {
    const { options } = this.#context;
    return openServiceTarget(setting, this.#accounts, options.stateDir, options.embeddedLocalbox, this.#clientOptions);
  }

  /**
   * The saved target, or, when it cannot be used (a URL this version refuses, a setting edited by
   * hand), the embedded localbox with a notice: a bad setting must never keep the app from starting.
   */
  async openSavedTarget(startupNotices: Notice[]): Promise<ServiceTarget> {
    const { target } = this.#store.read();
    try {
      return await this.#openTarget(target);
    } catch (error) {
      if (target.kind === 'embedded') throw error;
      const message = `Hoist cannot upload to the saved server (${(error as Error).message}); it uploads to the embedded local Box until you choose a server in Settings.`;
      this.#context.logger.warn('saved target unusable', { error: (error as Error).message });
      startupNotices.push({ level: 'warning', message });
      this.#store.write({ target: { kind: 'embedded' }, destination: ROOT_DESTINATION });
      return this.#openTarget({ kind: 'embedded' });
    }
  }

  /** Asks the server who the credential belongs to, for Settings; quietly keeps what it knew on failure. */
  async refreshAccount(): Promise<void> {
    const { current, events } = this.#context;
    const target = current.target();
    const known = await target.account?.refreshAccount(target.client).catch(() => undefined);
    if (known && target === current.target()) events.emit('settings', this.view());
  }

  /** Settings as the renderer shows them: the stored ones, the target's label and its account (no secrets). */
  view(): SettingsView {
    const settings = this.#store.read();
    const target = this.#context.current.target();
    return {
      target: settings.target,
      ...this.#accounts.view(target.account),
      targetLabel: target.label,
      destination: settings.destination,
      parallel: settings.parallel,
      resumeAutomatically: settings.resumeAutomatically,
      onNameConflict: settings.onNameConflict,
      uploadLimitBytesPerSec: settings.uploadLimitBytesPerSec,
      sharedLinkAccess: settings.sharedLinkAccess,
    };
  }

  /** Applies a settings change (UploadService.updateSettings says what `asks` is for). */
  async update(patch: SettingsPatch, asks: PersonQuestions): Promise<SettingsView> {
    const settings = this.#store;
    if (patch.parallel !== undefined) {
      this.#context.current.queue().setParallel(patch.parallel);
      settings.write({ parallel: patch.parallel });
    }
    if (patch.resumeAutomatically !== undefined) settings.write({ resumeAutomatically: patch.resumeAutomatically });
    if (patch.onNameConflict !== undefined) settings.write({ onNameConflict: patch.onNameConflict });
    if (patch.uploadLimitBytesPerSec !== undefined) {
      this.#uploadRate.set(patch.uploadLimitBytesPerSec ?? undefined);
      settings.write({ uploadLimitBytesPerSec: patch.uploadLimitBytesPerSec });
    }
    if (patch.sharedLinkAccess !== undefined) settings.write({ sharedLinkAccess: patch.sharedLinkAccess });
    if (patch.target) await this.#changeTarget(patch.target, asks);
    if (patch.destinationFolderId !== undefined)
      settings.write({
        destination: await destinationOf(this.#context.current.target().client, patch.destinationFolderId),
      });
    return this.changed();
  }

  async #changeTarget(next: NonNullable<SettingsPatch['target']>, asks: PersonQuestions): Promise<void> {
    const { token, ...setting } = next.kind === 'custom' ? next : { ...next, token: undefined };
    const account = this.#context.current.target().account;
    if (sameTargetSetting(this.#store.read().target, setting)) {
      if (!token || !account) return;
      await confirmCredentialChange(account.credential !== 'none', account.server, asks);
      await account.useToken(token); // jobs waiting for a token carry on
      return;
    }
    this.#refuseChangeWhileUnfinished();
    await this.#confirmServerChange(setting, asks);
    await this.#accounts.confirmTokenForNewTarget(setting, token, asks);
    this.#refuseChangeWhileUnfinished(); // uploads may have been added while the person was asked
    this.#accounts.credentialForNewTarget(setting, token);
    await this.#switchTo(setting);
  }

  #refuseChangeWhileUnfinished(): void {
    const jobs = this.#context.current.queue().jobs();
    const unfinished = jobs.filter((job) => !FINISHED_STATES.has(job.state)).length;
    if (unfinished > 0) {
      throw new ServiceError(
        `Finish, cancel or remove the ${unfinished} upload(s) in the list before changing where Hoist uploads.`,
      );
    }
  }

  /** The person's say before uploads go to another server (the embedded one needs none). */
  async #confirmServerChange(setting: TargetSetting, asks: PersonQuestions): Promise<void> {
    if (setting.kind !== 'custom' || !asks.confirmServerChange) return;
    const { apiBaseUrl, uploadBaseUrl } = setting;
    if (!(await asks.confirmServerChange({ apiBaseUrl, uploadBaseUrl }))) {
      const label = this.#context.current.target().label;
      throw new ServiceError(`Hoist still uploads to ${label}: the change of server was not confirmed.`);
    }
  }

  /** Switches to a new target: opened before anything is saved, so one that cannot be opened changes nothing. */
  async #switchTo(setting: TargetSetting): Promise<void> {
    const opened = await this.#openTarget(setting).catch((error: Error) => {
      throw new ServiceError(`Hoist cannot upload to that server: ${error.message}.`);
    });
    this.#store.write({ target: setting, destination: ROOT_DESTINATION });
    await this.#context.replaceTarget(opened);
  }

  /** Tells the renderer the settings changed, and returns them. */
  changed(): SettingsView {
    const view = this.view();
    this.#context.events.emit('settings', view);
    return view;
  }

  /** Stops a browser sign-in still waiting (at shutdown). */
  cancelSignIn(): void {
    this.#accounts.cancelSignIn();
  }
}
