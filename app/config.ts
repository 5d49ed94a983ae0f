// Where the composition roots get their configuration: the file named by --config, HALLWATCH_CONFIG
// or config/hallwatch.yaml, read here and parsed once by core/config (durations to ms, defaults).
import { readFileSync } from 'node:fs';
import { type Config, parseConfigText } from '../core/config/index.ts';
import { ConfigError } from '../core/errors.ts';

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(
      [{ path: '(file)', message: `cannot read ${file}: ${(e as Error).message}` }],
      file,
    );
  }
  return parseConfigText(text, env, file);
}

/** The file to load: --config, then HALLWATCH_CONFIG, then config/hallwatch.yaml. */
export function configPath(argv: string[], env: NodeJS.ProcessEnv = process.env): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
  const eq = argv.find((a) => a.startsWith('--config='));
  if (eq) return eq.slice('--config='.length);
  return env.HALLWATCH_CONFIG ?? 'config/hallwatch.yaml';
}
