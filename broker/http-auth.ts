// The embedded broker's login and topic decisions for a broker in front of HallWatch (an EMQX
// cluster's HTTP authenticator and authoriser, docs/broker.md "EMQX"): the same Authenticator,
// login throttle, ACL and subscription deny list, answered as allow or deny. The HTTP shapes live
// in api/routes/broker-auth.ts.
import type { Config } from '../core/config/schema.ts';
import { maySubscribe, publishDenial } from './acl.ts';
import { Authenticator, ownsClientId } from './auth.ts';
import { DenyList } from './deny.ts';
import { LoginThrottle } from './throttle.ts';

export type Decision = { allow: true } | { allow: false; reason: string };

export interface LoginRequest {
  username?: string;
  password?: string;
  clientid?: string;
  /** The device's own address (EMQX `${peerhost}`): throttling wrong passwords is per device address. */
  peerhost?: string;
}

export interface TopicRequest {
  username?: string;
  clientid?: string;
  topic: string;
  action: 'publish' | 'subscribe';
}

export class BrokerDecisions {
  private readonly auth: Authenticator;
  private readonly throttle: LoginThrottle;
  private readonly deny: DenyList;

  constructor(
    config: Config,
    private readonly now: () => number = Date.now,
  ) {
    this.auth = new Authenticator(config);
    this.throttle = new LoginThrottle(config.mqtt.limits.loginFreeFailures, config.mqtt.limits.loginMaxDelay);
    this.deny = new DenyList(config.mqtt.denySubscribe);
  }

  /** A CONNECT: the password, then (for a device) its client id. `login_busy` means "try later", not "wrong". */
  async login(r: LoginRequest, via: string): Promise<Decision> {
    const who = r.username ?? '';
    // Without the device's address every login through one EMQX node would share one budget.
    const remote = r.peerhost ? r.peerhost : `via ${via}`;
    if (this.throttle.blockedFor(remote, who, this.now()) > 0) return { allow: false, reason: 'throttled' };
    const res = await this.auth.check(
      r.username,
      r.password === undefined ? undefined : Buffer.from(r.password),
    );
    if (!res.ok) {
      if (res.reason !== 'login_busy') this.throttle.fail(remote, who, this.now());
      return { allow: false, reason: res.reason };
    }
    this.throttle.succeed(remote, who);
    if (r.clientid !== undefined && !ownsClientId(res.principal, r.clientid))
      return { allow: false, reason: 'bad_client_id' };
    return { allow: true };
  }

  /** A PUBLISH or SUBSCRIBE of a client the broker in front has already logged in. */
  topic(r: TopicRequest): Decision {
    const p = r.username ? this.auth.principal(r.username) : null;
    if (!p) return { allow: false, reason: 'unknown_user' };
    if (r.action === 'publish') {
      const denied = publishDenial(p, r.topic);
      return denied ? { allow: false, reason: denied } : { allow: true };
    }
    if (this.deny.subscription(r.topic)) return { allow: false, reason: 'subscribe_denied' };
    return maySubscribe(p, r.topic) ? { allow: true } : { allow: false, reason: 'subscribe_denied' };
  }
}
