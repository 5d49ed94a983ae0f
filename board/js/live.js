// The live line to the server: EventSource on /api/stream, reconnecting by itself. The native
// EventSource retries network errors with Last-Event-ID; when it gives up (HTTP error, server
// gone for good) we open a new one and pass the last id as ?lastEventId= so nothing is missed.
import { token } from './api.js';

const EVENTS = ['state', 'alert', 'equipment', 'env'];

export function connectLive({ hall, onEvent, onReady, onReset, onStatus, onClosed }) {
  let es;
  let lastId;
  let timer;
  let stopped = false;

  const open = () => {
    const q = new URLSearchParams({ token: token() ?? '', hall });
    if (lastId) q.set('lastEventId', lastId);
    es = new EventSource(`/api/stream?${q}`);
    es.addEventListener('open', () => onStatus(true));
    es.addEventListener('ready', (e) => onReady(JSON.parse(e.data)));
    es.addEventListener('reset', () => {
      lastId = undefined;
      onReset();
    });
    for (const name of EVENTS)
      es.addEventListener(name, (e) => {
        if (e.lastEventId) lastId = e.lastEventId;
        onEvent(name, JSON.parse(e.data));
      });
    es.addEventListener('error', () => {
      onStatus(false);
      if (es.readyState === EventSource.CLOSED && !stopped) {
        // The browser gave up (an HTTP error such as 401, or the server refused): find out why.
        onClosed?.();
        clearTimeout(timer);
        timer = setTimeout(open, 3_000);
      }
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    es?.close();
  };
}
