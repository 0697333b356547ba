/**
 * A URL with the secrets some paths carry replaced, for logs and problem documents: portal
 * links (`/portal/t/<token>`) and calendar feeds (`/calendar/<secret>.ics`).
 */
export function redactUrlSecrets(url: string | undefined): string {
  return (url ?? '').replace(/\/portal\/t\/[^/?#]*/g, '/portal/t/[redacted]').replace(/\/calendar\/[^/?#]*/g, '/calendar/[redacted]');
}
