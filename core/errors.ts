// Typed errors carry the context a reader needs; they are logged once, where handled.
export class HallWatchError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends HallWatchError {
  constructor(
    readonly issues: ConfigIssue[],
    readonly file?: string,
  ) {
    super(
      `invalid configuration${file ? ` in ${file}` : ''}:\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
      'config_invalid',
    );
  }
}
