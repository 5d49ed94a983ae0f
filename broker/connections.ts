// Who holds the broker's sockets: counts per source address (before any login) and live sessions
// per device credential, so one address or one stolen credential cannot fill `maxConnections`.

export class ConnectionCounts {
  private readonly perAddress = new Map<string, number>();
  /** username → client id → live connections using it (a takeover briefly holds two). */
  private readonly perUser = new Map<string, Map<string, number>>();

  /** Counts a new socket from `remote`; false (and nothing counted) when the address is full. */
  openSocket(remote: string, max: number): boolean {
    const n = this.perAddress.get(remote) ?? 0;
    if (n >= max) return false;
    this.perAddress.set(remote, n + 1);
    return true;
  }

  closeSocket(remote: string): void {
    const n = (this.perAddress.get(remote) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(remote);
    else this.perAddress.set(remote, n);
  }

  /**
   * Counts a session of `username` under `clientId`. A client id already live for the user is a
   * reconnect taking over its own session and always fits; a new id fits while the user has fewer
   * than `max` distinct ids.
   */
  openSession(username: string, clientId: string, max: number): boolean {
    const ids = this.perUser.get(username) ?? new Map<string, number>();
    const n = ids.get(clientId);
    if (n === undefined && ids.size >= max) return false;
    ids.set(clientId, (n ?? 0) + 1);
    this.perUser.set(username, ids);
    return true;
  }

  closeSession(username: string, clientId: string): void {
    const ids = this.perUser.get(username);
    if (!ids) return;
    const n = (ids.get(clientId) ?? 1) - 1;
    if (n <= 0) ids.delete(clientId);
    else ids.set(clientId, n);
    if (ids.size === 0) this.perUser.delete(username);
  }

  sessionsOf(username: string): number {
    return this.perUser.get(username)?.size ?? 0;
  }
}
