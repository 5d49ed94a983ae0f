// The stored data model (docs/data-model.md): every point the ingest, replay and test fixtures
// write is encoded here, once.
export * from './derived.ts';
export * from './device.ts';
export * from './line-protocol.ts';
