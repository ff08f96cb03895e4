import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface FileGroup {
  name: string;
  gid: number;
}

/** getent's status for "no such entry": anything else is a failure of the lookup itself. */
const NOT_FOUND = 2;

/**
 * The group by name or gid, as the system's name service knows it (getent: /etc/group, and LDAP or
 * SSSD where the clinic uses them, which reading /etc/group would miss); undefined when there is none.
 */
export async function lookUpGroup(group: string | number): Promise<FileGroup | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('getent', ['group', String(group)], { encoding: 'utf8' }));
  } catch (error) {
    if ((error as { code?: unknown }).code === NOT_FOUND) return undefined;
    throw error;
  }
  const [name, , gid] = stdout.split('\n')[0]!.split(':');
  return name === undefined || gid === undefined ? undefined : { name, gid: Number(gid) };
}
