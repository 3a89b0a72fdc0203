/**
 * How many parts a file of `fileSizeBytes` makes at `partSizeBytes` each: what a session's
 * `total_parts` must be (the engine's plan and a conflicting session Box names are checked by it).
 */
export function partCountFor(fileSizeBytes: number, partSizeBytes: number): number {
  return Math.ceil(fileSizeBytes / partSizeBytes);
}

/**
 * The size of part `index` of a file of `fileSizeBytes` cut into `count` parts of
 * `partSizeBytes`: every part but the last is exactly part_size, the last holds the rest
 * (box-api.md section 4). The one place this rule is written (the engine's plan, the part-map
 * codec, the part map's tooltip).
 */
export function partSizeAt(index: number, count: number, partSizeBytes: number, fileSizeBytes: number): number {
  return index === count - 1 ? fileSizeBytes - partSizeBytes * (count - 1) : partSizeBytes;
}
