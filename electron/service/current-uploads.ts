import type { JobView } from '../../shared/job-model.ts';
import type { UploadQueue } from '../engine/upload-queue.ts';
import type { ServiceTarget } from './service-target.ts';

/**
 * The service's target and queue of the moment, as its parts see them. A change of target
 * replaces both (and the update batcher), so the parts ask for them each time instead of keeping
 * them.
 */
export interface CurrentUploads {
  target(): ServiceTarget;
  queue(): UploadQueue;
  /** Tells the renderer a row changed that the queue does not know (a refused file). */
  rowChanged(view: JobView): void;
  /** Tells the renderer a row went that the queue does not know. */
  rowRemoved(id: string): void;
}
