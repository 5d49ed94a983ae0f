// Every error the API returns has one shape, a Chinese message for the people in the hall and an
// English one for integrators, and names the field when input was wrong.
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  AlertConflictError,
  AlertInputError,
  AlertNotFoundError,
  NotAnInterruptionError,
} from '../alerts/types.ts';
import { API_ROLE_LABELS, zhOf } from '../core/vocabulary.ts';
import { ReportQueryError } from '../reports/types.ts';
import type { Logger } from '../runtime/logger.ts';

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: string;
  /** "中文 / English": the one line most clients show. */
  message: string;
  messageZh: string;
  messageEn: string;
  field?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly field?: string,
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    return {
      statusCode: this.statusCode,
      error: REASONS[this.statusCode] ?? 'Error',
      code: this.code,
      message: this.message,
      messageZh: this.messageZh,
      messageEn: this.messageEn,
      ...(this.field ? { field: this.field } : {}),
    };
  }
}

/** Too many authentication failures from one address (counted per address, not per token). */
export const authThrottled = (retryAfterSeconds: number) =>
  new ApiError(
    429,
    'auth_throttled',
    `认证失败次数过多,请 ${retryAfterSeconds} 秒后再试`,
    `too many failed authentications from this address, retry in ${retryAfterSeconds} s`,
  );

export const unauthorized = (why: 'missing' | 'invalid') =>
  why === 'missing'
    ? new ApiError(
        401,
        'token_missing',
        '未登录:请提供访问令牌(Authorization: Bearer <令牌>)',
        'authentication required: send Authorization: Bearer <token>',
      )
    : new ApiError(401, 'token_invalid', '访问令牌无效', 'invalid token');

export const forbiddenRole = (role: string, allowed: readonly string[]) =>
  new ApiError(
    403,
    'role_forbidden',
    `当前角色(${ROLE_ZH[role] ?? role})无权执行此操作,需要:${allowed.map((r) => ROLE_ZH[r] ?? r).join('、')}`,
    `role ${role} may not do this; allowed: ${allowed.join(', ')}`,
  );

export const forbiddenHall = (hall: string) =>
  new ApiError(
    403,
    'hall_forbidden',
    `当前令牌无权访问大厅 ${hall}`,
    `this token has no access to hall ${hall}`,
    'hall',
  );

export const notFound = (
  what: 'hall' | 'counter' | 'alert' | 'silence' | 'leave' | 'closure' | 'route',
  id: string,
) =>
  new ApiError(
    404,
    `${what}_not_found`,
    `${WHAT_ZH[what]}不存在:${id}`,
    `${what === 'route' ? 'no such route' : `unknown ${what}`}: ${id}`,
    what === 'route' ? undefined : what,
  );

/** A leave or closure listed in the configuration file: the API cannot withdraw it. */
export const approvalFromConfig = (what: 'leave' | 'closure', id: string) =>
  new ApiError(
    409,
    'approval_from_config',
    `${WHAT_ZH[what]} ${id} 写在配置文件中,不能通过接口撤销:请修改配置(leave / closures)后重启`,
    `${what} ${id} is listed in the configuration file and cannot be withdrawn through the API: edit the config (leave / closures) and restart`,
    'id',
  );

export const badField = (field: string, zh: string, en: string) =>
  new ApiError(400, 'invalid_field', `参数 ${field} 无效:${zh}`, `invalid ${field}: ${en}`, field);

const WHAT_ZH = {
  hall: '大厅',
  counter: '窗口',
  alert: '告警',
  silence: '静默规则',
  leave: '请假记录',
  closure: '关闭记录',
  route: '接口',
} as const;

const STATUS_ZH: Record<string, string> = { open: '打开', acknowledged: '确认', resolved: '解除' };

export const ROLE_ZH: Record<string, string> = zhOf(API_ROLE_LABELS);

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns fastify's schema validation failure into a 400 naming the field, in both languages. */
export function validationError(issues: AjvIssue[], context: string | undefined): ApiError {
  const i = issues[0]!;
  const path = i.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const where = context === 'body' ? 'body' : context === 'params' ? 'path' : 'query';
  const p = i.params;
  switch (i.keyword) {
    case 'required': {
      const f = join(path, String(p.missingProperty));
      return new ApiError(
        400,
        'field_required',
        `缺少必填参数 ${f}`,
        `missing required ${where} field ${f}`,
        f,
      );
    }
    case 'additionalProperties': {
      const f = join(path, String(p.additionalProperty));
      return new ApiError(
        400,
        'field_unknown',
        `不支持的参数 ${f}`,
        `unknown ${where} field ${f} (check the spelling)`,
        f,
      );
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).join(', ');
      return badField(path || where, `取值必须是 ${allowed} 之一`, `must be one of ${allowed}`);
    }
    case 'type':
      return badField(path || where, `类型应为 ${TYPE_ZH[String(p.type)] ?? p.type}`, `must be ${p.type}`);
    case 'maxLength':
      return badField(path, `长度不能超过 ${p.limit} 个字符`, `must be at most ${p.limit} characters`);
    case 'minLength':
      return badField(path, `长度不能少于 ${p.limit} 个字符`, `must be at least ${p.limit} characters`);
    case 'pattern':
      return badField(path, `格式不正确`, `has the wrong format (${i.message ?? 'pattern'})`);
    case 'minimum':
    case 'maximum':
      return badField(path, `取值超出范围(${i.message ?? ''})`, `out of range (${i.message ?? ''})`);
    default:
      return badField(path || where, i.message ?? '格式不正确', i.message ?? 'invalid');
  }
}

const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值',
  object: 'JSON 对象',
  array: '数组',
};

/** Installs the uniform error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (err instanceof AlertNotFoundError) e = notFound('alert', err.id);
    else if (err instanceof AlertConflictError)
      e = new ApiError(
        409,
        'alert_conflict',
        `告警 ${err.id} 已${STATUS_ZH[err.status] ?? err.status},不能再操作`,
        `alert ${err.id} is already ${err.status}`,
      );
    else if (err instanceof NotAnInterruptionError)
      e = new ApiError(
        409,
        'not_an_interruption',
        `告警 ${err.id}(${err.type})不是缺位,不能改判责任人`,
        `alert ${err.id} (${err.type}) is not an interruption: attribution applies to interruptions only`,
      );
    else if (err instanceof AlertInputError) e = badField(err.field, err.message, err.message);
    else if (err instanceof ReportQueryError)
      e = new ApiError(400, 'invalid_field', err.messageZh, err.message, err.field);
    else if ((err as FastifyError).validation)
      e = validationError(
        (err as FastifyError).validation as unknown as AjvIssue[],
        (err as FastifyError).validationContext,
      );
    else if ((err as FastifyError).statusCode === 429)
      e = new ApiError(429, 'rate_limited', '请求过于频繁,请稍后再试', err.message);
    else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      e = new ApiError(415, 'media_type', '请求体须为 JSON(Content-Type: application/json)', err.message);
    else if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      e = new ApiError(413, 'body_too_large', '请求体过大', err.message);
    else if (
      (err as FastifyError).statusCode === 400 ||
      (err as FastifyError).code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    )
      e = new ApiError(400, 'bad_request', `请求格式错误:${err.message}`, err.message, 'body');
    else {
      logger.error({ err, method: req.method, route: req.routeOptions.url }, 'api handler failed');
      e = new ApiError(500, 'internal', '服务器内部错误,请联系管理员', 'internal error');
    }
    if (e.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="hallwatch"');
    return reply.code(e.statusCode).type('application/json; charset=utf-8').send(e.body());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = notFound('route', `${req.method} ${req.url.split('?')[0]}`);
    return reply.code(404).send(e.body());
  });
}
