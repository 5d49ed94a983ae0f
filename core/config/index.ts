export * from './directory.ts';
export * from './exposure.ts';
export * from './load.ts';
export * from './rules.ts';
export * from './schema.ts';
