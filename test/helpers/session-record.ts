import type { SessionEndpoints } from '../../electron/box/box-types.ts';
import { JobRecord } from '../../electron/engine/job-record.ts';

/** A session's five URLs on `origin`, for session `sessionPath` (Box's upload_sessions path). */
export const endpointsOn = (origin: string, sessionPath = '/api/2.0/files/upload_sessions/S'): SessionEndpoints => ({
  uploadPart: `${origin}${sessionPath}`,
  commit: `${origin}${sessionPath}/commit`,
  abort: `${origin}${sessionPath}`,
  listParts: `${origin}${sessionPath}/parts`,
  status: `${origin}${sessionPath}`,
});

/** A job of a 30-byte file with a snapshot and a session of three 10-byte parts at `endpoints`. */
export function recordWithSession(endpoints: SessionEndpoints): JobRecord {
  const record = JobRecord.create({ path: '/data/a.bin', destination: { kind: 'folder', folderId: '0' } });
  record.takeSnapshot({ sizeBytes: 30, mtimeNs: '1', ctimeNs: '1', ino: '2', dev: '3' });
  record.startSession({
    id: 'S',
    expiresAt: '2026-12-01T00:00:00Z',
    partSizeBytes: 10,
    totalParts: 3,
    partsProcessed: 0,
    endpoints,
  });
  return record;
}
