// The service calendar (DOMAIN R1, R2, R19, R20): sessions, holidays and 调休, overrides, coverage warnings.
export { type CalendarOptions, createCalendar } from './calendar.ts';
export { COVERED_YEARS, holidayNameOf, isCoveredYear } from './holidays.ts';
export type * from './types.ts';
