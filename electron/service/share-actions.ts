import { fileWebUrl, isBoxWebUrl } from '../../shared/box-urls.ts';
import type { TargetSetting } from '../../shared/settings-model.ts';
import type { SharedLink, SharedLinkAccess, UploadRecord } from '../../shared/share-model.ts';
import { BoxApiError } from '../box/box-error.ts';
import type { BoxClient } from '../box/box-client.ts';
import { firstContextMessage } from '../box/box-types.ts';
import { ServiceError } from './service-error.ts';
import { sameTargetSetting } from './service-target.ts';
import type { UploadHistory } from './upload-history.ts';

/** What only the desktop shell does for sharing: main's shell.openExternal and clipboard (tests record them). */
export interface SharePorts {
  /** Opens a web page in the system browser. Main opens only what isBoxWebUrl allows. */
  openExternal(url: string): Promise<void>;
  writeClipboard(text: string): void;
}

/** The current target, as sharing needs it. */
export interface ShareTarget {
  setting: TargetSetting;
  label: string;
  client: BoxClient;
  /** The origin of the local Box (embedded, or a custom server on this machine), if the target is one. */
  localOrigin: string | undefined;
}

/** What ShareActions needs of the service: the history, the current target and the access chosen in Settings. */
export interface ShareContext {
  history: UploadHistory;
  target(): ShareTarget;
  /** A finished upload by job id: from the history, or a done row whose entry was cleared from it. */
  finished(id: string): UploadRecord | undefined;
  access(): SharedLinkAccess;
}

/** Where the API of a target is, for building a file's web URL. */
function apiBaseOf(target: ShareTarget): string {
  return target.client.target.apiBaseUrl;
}

const ACCESS_WORDS: Record<SharedLinkAccess, string> = {
  open: 'anyone with the link',
  company: 'people in your company',
  collaborators: 'people invited to the file',
};

/**
 * "Open on Box" and "Copy shared link" for a finished upload (a done row or a history entry, by
 * its job id). Only files Hoist uploaded can be shared: the renderer names an upload, never a
 * Box file id, so a page script cannot share arbitrary files of the account.
 */
export class ShareActions {
  readonly #context: ShareContext;

  constructor(context: ShareContext) {
    this.#context = context;
  }

  #upload(id: string): UploadRecord {
    const upload = this.#context.finished(id);
    if (!upload) throw new ServiceError('That upload is no longer in the list or the recent uploads.');
    return upload;
  }

  /** The current target, when `upload` went there; else a sentence saying to switch back. */
  #sameServer(upload: UploadRecord, what: string): ShareTarget {
    const target = this.#context.target();
    if (!sameTargetSetting(upload.target, target.setting)) {
      throw new ServiceError(
        `${upload.fileName} is on ${upload.serverLabel}, and Hoist now uploads to ${target.label}: choose ${upload.serverLabel} in Settings to ${what}.`,
      );
    }
    return target;
  }

  /** The file's page in the system browser: Box's web app, or the local Box's page. */
  async openOnBox(id: string, ports: SharePorts): Promise<void> {
    const upload = this.#upload(id);
    // Box's web app is at the same address whatever Hoist uploads to now.
    const onBox = upload.target.kind === 'custom' ? fileWebUrl(upload.target.apiBaseUrl, upload.fileId) : undefined;
    let url: string | undefined;
    let localOrigin: string | undefined;
    if (onBox?.startsWith('https://app.box.com/')) url = onBox;
    else {
      const target = this.#sameServer(upload, 'open it');
      url = fileWebUrl(apiBaseOf(target), upload.fileId);
      localOrigin = target.localOrigin;
    }
    if (url === undefined || !isBoxWebUrl(url, localOrigin)) {
      throw new ServiceError(
        `Hoist opens files on Box and on the local Box only; it does not know the web pages of ${upload.serverLabel}.`,
      );
    }
    await ports.openExternal(url);
  }

  /**
   * Creates the file's shared link with the access chosen in Settings (or changes the access of
   * the one it has), keeps it with the upload, and copies its URL to the clipboard.
   */
  async copySharedLink(id: string, ports: SharePorts): Promise<SharedLink> {
    const upload = this.#upload(id);
    const target = this.#sameServer(upload, 'share it');
    const access = this.#context.access();
    let link: SharedLink;
    try {
      link = await target.client.createSharedLink(upload.fileId, access);
    } catch (error) {
      throw new ServiceError(shareFailure(upload, access, error));
    }
    this.#context.history.setLink(id, link);
    ports.writeClipboard(link.url);
    return link;
  }
}

/** One sentence for a link Box would not make. */
function shareFailure(upload: UploadRecord, access: SharedLinkAccess, error: unknown): string {
  if (error instanceof BoxApiError) {
    if (error.status === 404)
      return `${upload.fileName} is no longer on ${upload.serverLabel}, so it has no link to share.`;
    if (error.status === 400 || error.status === 403) {
      // Box offers company links to paid accounts only, and admins can forbid a level.
      const why = firstContextMessage(error.contextInfo) ?? error.message;
      return `${upload.serverLabel} would not make a link for ${ACCESS_WORDS[access]} to ${upload.fileName} (${why}); choose who links let in under Settings.`;
    }
  }
  return `Hoist could not make a shared link to ${upload.fileName}: ${(error as Error).message}`;
}

/** The notice after a copy: who the link lets in, and when Box made it narrower than asked. */
export function copiedNotice(upload: { fileName: string }, link: SharedLink): string {
  const narrowed =
    link.effectiveAccess !== link.access
      ? ` Box made it open to ${ACCESS_WORDS[link.effectiveAccess]} only (a policy of your company).`
      : '';
  return `Link to ${upload.fileName} copied: ${link.url} (open to ${ACCESS_WORDS[link.effectiveAccess]}).${narrowed}`;
}
