import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * PGlite creates its files 0666 whatever the umask: after it opens (and when it closes), every
 * file of the folder becomes 0600 and every folder 0700. The folder itself is 0700 from the
 * start, so a file made in between is never reachable by another user either.
 */
export async function restrictToOwner(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await chmod(path, 0o700);
    else if (entry.isFile()) await chmod(path, 0o600).catch(() => {});
  }
}
