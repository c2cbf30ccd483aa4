// The shapes of the Slack requests the bot acts on, checked after the signature and before Bolt sees them: a signed
// body that lacks what its type promises (a click without a user, a submission without its view, an event that is
// not an object) is answered 400 and logged once, instead of failing inside a listener with a 500. Types the bot does
// not act on pass through to Bolt unchanged.
import { z } from 'zod';

const id = z.string().min(1).max(255);
const user = z.looseObject({ id, team_id: z.string().optional() });
const team = z.looseObject({ id }).nullish();

const slashCommand = z.looseObject({
  command: z.string().startsWith('/').max(100),
  text: z.string().optional(),
  user_id: id,
  team_id: id,
  trigger_id: id,
  channel_id: z.string().optional(),
});

const SHAPES: Record<string, z.ZodType> = {
  block_actions: z
    .looseObject({ user, team, actions: z.array(z.looseObject({ action_id: z.string(), type: z.string() })).min(1) })
    .refine((b) => Boolean(b.team?.id ?? b.user.team_id), 'no team'),
  view_submission: z
    .looseObject({
      user,
      team,
      view: z.looseObject({
        id,
        callback_id: z.string(),
        state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
      }),
    })
    .refine((b) => Boolean(b.team?.id ?? b.user.team_id), 'no team'),
  view_closed: z.looseObject({ user, view: z.looseObject({ id }) }),
  event_callback: z.looseObject({ team_id: z.string().optional(), event: z.looseObject({ type: z.string().min(1) }) }),
};

/** Why a parsed, signed body cannot be handled (for the log), or null when it is fine to hand to Bolt. */
export function malformed(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
  const type = (body as { type?: unknown }).type;
  if (type === undefined && 'command' in body) return issue(slashCommand, body, 'slash_command');
  if (type === undefined) return 'no type';
  if (typeof type !== 'string') return 'type is not a string';
  const shape = SHAPES[type];
  return shape ? issue(shape, body, type) : null;
}

function issue(schema: z.ZodType, body: unknown, type: string): string | null {
  const parsed = schema.safeParse(body);
  if (parsed.success) return null;
  const first = parsed.error.issues[0];
  return `${type}: ${first?.path.join('.') || '(body)'} ${first?.message ?? 'invalid'}`.slice(0, 200);
}
