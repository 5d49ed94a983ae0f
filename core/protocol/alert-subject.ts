// What an alert is about, as one short key: the tag that keeps two alerts of the same type
// opened at the same instant (every late counter at 09:00:00) apart in the time series.
// Bounded by the configuration (counters, equipment, devices, sensors × metrics), never by time.
export interface AlertSubjectParts {
  counter?: string | undefined;
  equipment?: string | undefined;
  device?: string | undefined;
  sensor?: string | undefined;
  metric?: string | undefined;
}

export function alertSubject(p: AlertSubjectParts): string {
  return [p.counter, p.equipment, p.device, p.sensor, p.metric].filter(Boolean).join('.') || 'hall';
}
