// Prints the configuration reference generated from core/config/schema.ts as JSON Schema (keys,
// types, limits and every default), for editors and readers:
//   npm run --silent config-reference > hallwatch.schema.json
import { resolve } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../core/config/schema.ts';

export function configReference(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'HallWatch configuration (config/hallwatch.yaml)',
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename))
  console.log(JSON.stringify(configReference(), null, 2));
