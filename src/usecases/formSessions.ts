// Forms kept on our side for platforms that show a form as a card (Feishu): the card's submit button carries a
// short session id instead of the form, so the card stays small and a refused submission can be drawn again
// (with the person's values and the errors). A session lives as long as the card can be used (14 days).
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import type { Form } from '../messages/model.js';

/** Feishu card JSON 2.0: a card can be interacted with for 14 days. */
export const FORM_SESSION_TTL_MS = 14 * 24 * 3600_000;

/** What a submit button may carry as a session id. */
export const FORM_SESSION_ID = /^[A-Za-z0-9_-]{16,32}$/;

/** Stores `form` (without per-submission errors) and returns the id for its submit button. */
export async function createFormSession(tx: Tx, form: Form, now: Date): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  const stored: Form = { ...form, fields: form.fields.map(({ error: _e, ...rest }) => rest) };
  await tx.formSession.create({
    data: { id, formRef: form.id, form: JSON.stringify(stored), expiresAt: new Date(now.getTime() + FORM_SESSION_TTL_MS) },
  });
  return id;
}

/** The form of session `id` when it exists, has not expired and belongs to form `formRef`; else null. */
export async function loadFormSession(db: Db, id: unknown, formRef: string, now: Date): Promise<Form | null> {
  if (typeof id !== 'string' || !FORM_SESSION_ID.test(id)) return null;
  const row = await db.read((tx) => tx.formSession.findUnique({ where: { id } }));
  if (!row || row.formRef !== formRef || row.expiresAt <= now) return null;
  try {
    return JSON.parse(row.form) as Form;
  } catch {
    return null;
  }
}

/** Deletes expired sessions; returns how many. */
export async function pruneFormSessions(db: Db, now: Date): Promise<number> {
  const r = await db.write((tx) => tx.formSession.deleteMany({ where: { expiresAt: { lte: now } } }));
  return r.count;
}
