import type { TargetSetting } from './settings-model.ts';

/**
 * Shared links and the recent-uploads history, as the renderer, the service and the CLI see them.
 *
 * Access levels are Box's (spec, "Add shared link to file"): `open` is anyone with the link,
 * `company` people of the same enterprise signed in to Box (paid accounts only), `collaborators`
 * only people already invited to the file or its folder.
 */
export const SHARED_LINK_ACCESS = ['open', 'company', 'collaborators'] as const;
export type SharedLinkAccess = (typeof SHARED_LINK_ACCESS)[number];

export const isSharedLinkAccess = (value: unknown): value is SharedLinkAccess =>
  (SHARED_LINK_ACCESS as readonly unknown[]).includes(value);

/**
 * Links default to `company`: the most restrictive level that still works for the people a link
 * is usually sent to at work. A `collaborators` link opens only for people already invited, and a
 * file just uploaded has none, so it would reach nobody new; `open` lets anyone with the URL in.
 */
export const DEFAULT_SHARED_LINK_ACCESS: SharedLinkAccess = 'company';

/** A shared link as Box made it. */
export interface SharedLink {
  url: string;
  /** What was asked. */
  access: SharedLinkAccess;
  /** What Box applied: narrower than `access` when an admin's policy restricts links. */
  effectiveAccess: SharedLinkAccess;
}

/** One finished upload in the recent-uploads history. */
export interface UploadRecord {
  /** The job's id: done rows and history entries share it. */
  id: string;
  fileName: string;
  sizeBytes: number;
  uploadedAtMs: number;
  /** "Embedded local Box", or the server's host ("api.box.com"). */
  serverLabel: string;
  /** The server it went to: sharing it needs that server to be the current one. */
  target: TargetSetting;
  /** Where on Box, from the root: "All Files/Projects/2026"; absent when not known. */
  folderPath?: string;
  fileId: string;
  /** Once a link was made. */
  sharedLink?: SharedLink;
}

/** The most entries the history keeps; the oldest go first. */
export const HISTORY_MAX_ENTRIES = 1000;

export interface HistoryPage {
  entries: UploadRecord[];
  /** Entries matching the query (all of them without one). */
  totalCount: number;
}
