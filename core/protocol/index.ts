export * from './approval.ts';
export * from './decode.ts';
export * from './encode.ts';
export type * from './events.ts';
export * from './payloads.ts';
export * from './topics.ts';
