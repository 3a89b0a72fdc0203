import {
  describeInvalidRequest,
  REQUEST_SCHEMAS,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponses,
} from '../../shared/ipc-contract.ts';
import type { AddFilesResult } from '../../shared/job-model.ts';
import type { ServerUrls } from './credential-keys.ts';
import type { PersonQuestions } from './target-accounts.ts';
import type { SharePorts } from './share-actions.ts';
import type { UpdateController } from './update-controller.ts';
import { UPDATES_OFF } from '../../shared/update-model.ts';
import { ServiceError } from './service-error.ts';
import type { UploadService } from './upload-service.ts';

/**
 * What only the desktop shell can do, supplied by electron/main (and by tests): dialogs, the file
 * manager, and for sharing the system browser and the clipboard (SharePorts).
 */
export interface PlatformActions extends SharePorts {
  /** The native "Add files..." or "Add folder..." dialog; the chosen paths (empty when canceled). */
  chooseFiles(pick: 'files' | 'folders'): Promise<string[]>;
  showItemInFolder(path: string): void;
  /**
   * A native dialog: may uploads go to this server from now on? It names the upload host too
   * whenever that is another origin than the API's (the token goes to both).
   */
  confirmServerChange(target: ServerUrls): Promise<boolean>;
  /** A native dialog: may a new token replace the one Hoist has for this server (its host)? */
  confirmCredentialChange(serverHost: string): Promise<boolean>;
  /** A native dialog: may a new Box app replace the person's own one set before? */
  confirmBoxAppChange(): Promise<boolean>;
  appInfo(): { version: string; platform: string };
}

/** A request the renderer got wrong; its message names the channel and the problem. */
export class InvalidRequestError extends Error {}

/** One handler per invoke channel, taking the request as it arrived (unknown) and checking it before use. */
export type IpcHandlers = { [C in InvokeChannel]: (request: unknown) => Promise<InvokeResponses[C]> };

type Implementations = {
  [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponses[C]> | InvokeResponses[C];
};

/**
 * The handler of every invoke channel: the payload is validated against the contract first (the
 * renderer is untrusted), then the UploadService does the work. Electron main registers these
 * behind a sender check; the browser tests call them through Playwright's bridge.
 */
export function createIpcHandlers(
  service: UploadService,
  platform: PlatformActions,
  /** Absent where this copy of Hoist has no update feed. */
  updates?: UpdateController,
): IpcHandlers {
  const asks: PersonQuestions = {
    confirmServerChange: (target) => platform.confirmServerChange(target),
    confirmCredentialChange: (serverHost) => platform.confirmCredentialChange(serverHost),
    confirmBoxAppChange: () => platform.confirmBoxAppChange(),
  };
  const implementations: Implementations = {
    'jobs:list': () => service.listJobs(),
    'jobs:parts': ({ jobId }) => service.getParts(jobId),
    'jobs:add': ({ fileIds }) => service.addGrantedFiles(fileIds),
    'drops:register': ({ paths }) => service.registerDroppedPaths(paths),
    'jobs:add-from-dialog': async ({ pick }): Promise<AddFilesResult> => {
      const paths = await platform.chooseFiles(pick ?? 'files');
      return paths.length > 0 ? service.addFiles(paths) : { added: [], rejected: [] };
    },
    'job:pause': ({ jobId }) => service.pause(jobId),
    'job:resume': ({ jobId }) => service.resume(jobId),
    'job:cancel': ({ jobId }) => service.cancel(jobId),
    'job:retry': ({ jobId }) => service.resume(jobId), // a retry is a resume of a failed job
    'job:remove': ({ jobId }) => service.remove(jobId),
    'job:reveal': ({ jobId }) => platform.showItemInFolder(service.pathOf(jobId)),
    'job:resolve-name-conflict': ({ jobId, choice }) => service.resolveNameConflict(jobId, choice),
    'jobs:pause-all': () => service.pauseAll(),
    'jobs:resume-all': () => service.resumeAll(),
    'jobs:retry-failed': () => service.retryFailed(),
    'jobs:clear-finished': () => service.clearFinished(),
    'folders:list': ({ folderId }) => service.listFolder(folderId),
    'settings:get': () => service.getSettings(),
    // A change of server or of credential that came from the renderer applies only once the person says yes.
    'settings:update': (patch) => service.updateSettings(patch, asks),
    'app:info': () => platform.appInfo(),
    'account:sign-in': (server) => service.accounts.signIn(server, asks),
    'account:cancel-sign-in': () => service.accounts.cancelSignIn(),
    'account:sign-out': () => service.accounts.signOut(),
    'account:set-app': ({ app }) => service.accounts.setBoxApp(app, asks),
    'history:list': ({ query }) => service.listHistory({ query }),
    'history:clear': () => service.clearHistory(),
    'upload:open-on-box': ({ id }) => service.openOnBox(id, platform),
    'upload:copy-link': ({ id }) => service.copySharedLink(id, platform),
    'update:get': () => updates?.view ?? UPDATES_OFF,
    'update:restart': () => {
      if (!updates) throw new ServiceError('This copy of Hoist does not update itself.');
      updates.restart();
    },
  };
  const handlers = {} as Record<InvokeChannel, (request: unknown) => Promise<unknown>>;
  for (const channel of Object.keys(REQUEST_SCHEMAS) as InvokeChannel[]) {
    const schema = REQUEST_SCHEMAS[channel];
    const implementation = implementations[channel] as (request: unknown) => unknown;
    handlers[channel] = async (request: unknown) => {
      const parsed = schema.safeParse(request);
      if (!parsed.success) throw new InvalidRequestError(describeInvalidRequest(channel, parsed.error));
      return implementation(parsed.data);
    };
  }
  return handlers as IpcHandlers;
}
