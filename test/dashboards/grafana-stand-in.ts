// A local stand-in for the parts of Grafana's HTTP API the push uses, checking tokens and roles the
// way Grafana does: a service-account token has a basic role (Viewer, Editor, Admin) whose RBAC
// actions decide each call; an unknown token is 401, a missing action 403 with Grafana's bodies.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Role = 'Viewer' | 'Editor' | 'Admin';

// Basic-role actions as Grafana grants them (abridged to what the push touches).
const ACTIONS: Record<Role, string[]> = {
  Viewer: ['dashboards:read', 'folders:read', 'datasources:query'],
  Editor: [
    'dashboards:read',
    'dashboards:create',
    'dashboards:write',
    'folders:read',
    'folders:create',
    'folders:write',
    'datasources:query',
    'datasources:read',
  ],
  Admin: [],
};
ACTIONS.Admin = [...ACTIONS.Editor, 'datasources:create', 'datasources:write', 'datasources:delete'];

export interface GrafanaStandIn {
  url: string;
  datasources: Map<string, Record<string, unknown>>;
  folders: Map<string, Record<string, unknown>>;
  dashboards: Map<string, { dashboard: Record<string, unknown>; folderUid: string; version: number }>;
  calls: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startGrafanaStandIn(tokens: Record<string, Role>): Promise<GrafanaStandIn> {
  const datasources = new Map<string, Record<string, unknown>>();
  const folders = new Map<string, Record<string, unknown>>();
  const dashboards: GrafanaStandIn['dashboards'] = new Map();
  const calls: GrafanaStandIn['calls'] = [];
  const read = (req: IncomingMessage) =>
    new Promise<Record<string, unknown> | undefined>((resolve) => {
      let s = '';
      req.on('data', (c) => {
        s += c;
      });
      req.on('end', () => resolve(s ? JSON.parse(s) : undefined));
    });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const path = req.url ?? '/';
    const send = (status: number, obj: unknown) => {
      calls.push({ method: req.method!, path, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const role = token ? tokens[token] : undefined;
    if (!role)
      return send(401, {
        extra: null,
        message: 'invalid API key',
        messageId: 'api-key.invalid',
        statusCode: 401,
        traceID: '',
      });
    const need = (action: string) => {
      if (ACTIONS[role].includes(action)) return true;
      send(403, {
        accessErrorId: 'ACE0123456789',
        message: `You'll need additional permissions to perform this action. Permissions needed: ${action}`,
        title: 'Access denied',
      });
      return false;
    };
    const m = req.method;
    if (m === 'GET' && path === '/api/access-control/user/permissions')
      return send(200, Object.fromEntries(ACTIONS[role].map((a) => [a, ['*']])));
    const dsUid = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path)?.[1];
    if (m === 'GET' && dsUid) {
      if (!need('datasources:read')) return;
      const d = datasources.get(dsUid);
      return d ? send(200, d) : send(404, { message: 'Data source not found' });
    }
    if (m === 'PUT' && dsUid) {
      if (!need('datasources:write')) return;
      datasources.set(dsUid, body!);
      return send(200, { message: 'Datasource updated' });
    }
    if (m === 'POST' && path === '/api/datasources') {
      if (!need('datasources:create')) return;
      if (datasources.has(String(body!.uid)))
        return send(409, { message: 'data source with the same uid already exists' });
      datasources.set(String(body!.uid), body!);
      return send(200, { message: 'Datasource added', datasource: body });
    }
    const folderUid = /^\/api\/folders\/([^/]+)$/.exec(path)?.[1];
    if (m === 'GET' && folderUid) {
      if (!need('folders:read')) return;
      const f = folders.get(folderUid);
      return f ? send(200, f) : send(404, { message: 'folder not found', status: 'not-found' });
    }
    if (m === 'POST' && path === '/api/folders') {
      if (!need('folders:create')) return;
      folders.set(String(body!.uid), body!);
      return send(200, body);
    }
    if (m === 'POST' && path === '/api/dashboards/db') {
      const d = body!.dashboard as Record<string, unknown>;
      const uid = String(d.uid);
      if (!need(dashboards.has(uid) ? 'dashboards:write' : 'dashboards:create')) return;
      if (!folders.has(String(body!.folderUid))) return send(400, { message: 'folder not found' });
      const version = (dashboards.get(uid)?.version ?? 0) + 1;
      dashboards.set(uid, { dashboard: d, folderUid: String(body!.folderUid), version });
      return send(200, { status: 'success', uid, url: `/d/${uid}`, version });
    }
    send(404, { message: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    datasources,
    folders,
    dashboards,
    calls,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
