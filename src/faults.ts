// Test-only crash points. With MKTOPS_CRASH_AT unset (always, in production) `crashPoint` is one comparison and does
// nothing. The crash tests (test/crash/) start the real bot with MKTOPS_CRASH_AT=<point>[:<detail>] and the process
// kills itself with SIGKILL — no cleanup, no flush, like a power cut — the first time it reaches that point (with
// that detail, when given), so a test can stop it exactly between two steps of the delivery path:
//
//   inbox.accepted     the request's delivery id and work are recorded; not acknowledged yet   detail: the platform
//   core.committing    inside the transaction of the change + done mark, before COMMIT          detail: the platform
//   core.committed     the change, its done mark and answer committed; nothing sent yet         detail: the platform
//   outbox.claimed     an outbox row is claimed for sending; the platform not called yet   detail: <platform>/<row kind>
//   platform.answered  the platform accepted the row; the "sent" mark not written yet       detail: <platform>/<row kind>
//
// Documented in docs/operations.md; nothing else reads the variable.
const armed = parse(process.env.MKTOPS_CRASH_AT);

function parse(raw: string | undefined): { point: string; detail?: string } | undefined {
  if (!raw) return undefined;
  const colon = raw.indexOf(':');
  const point = colon < 0 ? raw : raw.slice(0, colon);
  const detail = colon < 0 ? undefined : raw.slice(colon + 1);
  return point ? { point, detail: detail || undefined } : undefined;
}

export type CrashPoint = 'inbox.accepted' | 'core.committing' | 'core.committed' | 'outbox.claimed' | 'platform.answered';

export function crashPoint(point: CrashPoint, detail?: string): void {
  if (!armed || armed.point !== point || (armed.detail !== undefined && armed.detail !== detail)) return;
  process.stderr.write(`${JSON.stringify({ level: 'error', event: 'crash_point', point, detail })}\n`);
  process.kill(process.pid, 'SIGKILL');
}
