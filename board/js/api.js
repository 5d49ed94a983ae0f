// The board's HTTP client: bearer token from localStorage, errors carry the API's message.
const KEY = 'hallwatch.token';

export const token = () => localStorage.getItem(KEY);
export const setToken = (t) => (t ? localStorage.setItem(KEY, t) : localStorage.removeItem(KEY));

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** JSON request; throws ApiFailure (status 401 means: show the login). */
export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token() ?? ''}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiFailure(res.status, data);
  return data;
}

/** Downloads a CSV through fetch (the token is a header, so a plain link would not do). */
export async function download(path, filename) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ''}` } });
  if (!res.ok) throw new ApiFailure(res.status, await res.json().catch(() => undefined));
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
