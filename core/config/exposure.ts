// S12 production config scan: which listeners a configuration exposes beyond this machine without
// encryption, and whether anonymous MQTT access is on. `npm start` logs every finding and refuses
// to start when anonymous access meets a listener reachable from the network, because anonymous
// clients get the service role (read and write every hall topic). Mosquitto 2.0 made the same
// choice by default: no network listener unless configured, `allow_anonymous false`.
import type { ConfigIssue } from '../errors.ts';
import type { Config } from './schema.ts';

export type ExposureFinding =
  | {
      kind: 'plaintext_listener';
      listener: 'mqtt.listen' | 'mqtt.websocket' | 'api.listen';
      host: string;
      port: number;
    }
  | { kind: 'anonymous'; reachable: string[] };

/** 127.0.0.0/8, ::1 and the name localhost; everything else (0.0.0.0, ::, a LAN address) is reachable. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

/** Findings for the listeners a process opens: the broker's when it runs the broker, the API's likewise. */
export function exposureOf(
  config: Config,
  runs: { broker: boolean; api: boolean } = { broker: true, api: true },
): ExposureFinding[] {
  const out: ExposureFinding[] = [];
  const m = runs.broker ? config.mqtt : undefined;
  const plain = [
    ['mqtt.listen', m?.listen],
    ['mqtt.websocket', m?.websocket],
    ['api.listen', runs.api ? config.api?.listen : undefined],
  ] as const;
  for (const [listener, l] of plain)
    if (l && !isLoopbackHost(l.host))
      out.push({ kind: 'plaintext_listener', listener, host: l.host, port: l.port });
  if (m?.allowAnonymous) {
    const mqttListeners = [
      ['mqtt.listen', m.listen],
      ['mqtt.tls', m.tls],
      ['mqtt.websocket', m.websocket],
    ] as const;
    const reachable = mqttListeners.filter(([, l]) => l && !isLoopbackHost(l.host)).map(([name]) => name);
    out.push({ kind: 'anonymous', reachable });
  }
  return out;
}

/** The findings `npm start` refuses: anonymous access on a listener the network can reach. */
export function refusedExposure(findings: ExposureFinding[]): ConfigIssue[] {
  return findings.flatMap((f) =>
    f.kind === 'anonymous' && f.reachable.length > 0
      ? [
          {
            path: 'mqtt.allowAnonymous',
            message: `true while ${f.reachable.join(' and ')} ${f.reachable.length > 1 ? 'listen' : 'listens'} beyond loopback: anyone on the network would get the service role. Set allowAnonymous: false and give devices passwords (npm run hash-password), or listen on 127.0.0.1 only.`,
          },
        ]
      : [],
  );
}
