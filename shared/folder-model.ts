/** Box folders as the renderer sees them, to choose where uploads go. */

export interface FolderRef {
  id: string;
  name: string;
}

/** One folder opened in the folder chooser. */
export interface FolderListing {
  folder: FolderRef;
  /** Its ancestors, "All Files" first. */
  path: FolderRef[];
  /** Its subfolders by name. */
  subfolders: FolderRef[];
  /** The folder holds more items than Hoist looked through; some subfolders are not listed. */
  truncated: boolean;
}

/** Where dropped files and folders go on the target. */
export interface Destination {
  folderId: string;
  /** Folder names from the root: ["All Files", "Projects", "2026"]. */
  names: string[];
}

/** The root of the account, as Box names it. */
export const ROOT_DESTINATION: Destination = { folderId: '0', names: ['All Files'] };

/** Box ids are strings of digits. */
export const FOLDER_ID_PATTERN = /^\d{1,20}$/;
