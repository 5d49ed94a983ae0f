// Statistics for assessors (DOMAIN §4): pure functions from intervals, alerts and sessions.
export * from './averaging.ts';
export * from './counter-day.ts';
export * from './environment.ts';
export * from './equipment.ts';
export * from './no-absence.ts';
export * from './periods.ts';
export * from './staff.ts';
export * from './types.ts';
export * from './windows.ts';
