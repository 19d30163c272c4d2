/** The command as dive and `docker history` show it, without the shell wrapper. */
export function shortCommand(createdBy: string): string {
  return createdBy.startsWith('/bin/sh -c ') ? createdBy.slice('/bin/sh -c '.length) : createdBy;
}
