// "Set up demo": the playground's first click. It runs real commands as Ada (roles for Fei and Li, the three
// chats bound, two budget lines) — only those whose result is not already in the database, so a second click
// says the demo is already set up instead of reporting refusals as failures.
import type { Db } from '../../db/client.js';
import { localDate } from '../../domain/time.js';
import type { Actor, Core, Outcome } from '../../usecases/types.js';
import { demoScript, LOCAL_WORKSPACE, translateMentions, type DemoGoal, type DemoStep } from './cast.js';

export interface DemoStepResult {
  text: string;
  channel: string;
  /** Already set up: not run again. */
  skipped: boolean;
  ok: boolean;
  outcome?: Outcome;
}

export interface DemoResult {
  status: 'done' | 'already' | 'failed';
  ran: number;
  skipped: number;
  failed: number;
  steps: DemoStepResult[];
}

async function isDone(db: Db, goal: DemoGoal, year: number): Promise<boolean> {
  return db.read(async (tx) => {
    const base = { platform: 'local', workspaceId: LOCAL_WORKSPACE };
    switch (goal.kind) {
      case 'role':
        return (await tx.roleGrant.count({ where: { role: goal.role, person: { ...base, userId: goal.user } } })) > 0;
      case 'channel':
        return (await tx.channelBinding.count({ where: { ...base, purpose: goal.purpose, channelId: goal.channel } })) > 0;
      case 'line':
        return (await tx.budgetLine.count({ where: { code: goal.code, fiscalYear: { year } } })) > 0;
    }
  });
}

export async function runDemo(deps: {
  db: Db;
  core: Core;
  now: Date;
  timezone: string;
  actorFor: (user: string, channel: string) => Actor;
  steps?: DemoStep[];
}): Promise<DemoResult> {
  const year = Number(localDate(deps.now, deps.timezone).slice(0, 4));
  const steps: DemoStepResult[] = [];
  for (const step of deps.steps ?? demoScript()) {
    if (await isDone(deps.db, step.goal, year)) {
      steps.push({ text: step.text, channel: step.channel, skipped: true, ok: true });
      continue;
    }
    const { text, mentions } = translateMentions(step.text);
    const outcome = await deps.core.command(deps.actorFor('ada', step.channel), text, Object.keys(mentions).length ? { mentions } : {});
    steps.push({ text: step.text, channel: step.channel, skipped: false, ok: outcome.ok, outcome });
  }
  const ran = steps.filter((s) => !s.skipped).length;
  const failed = steps.filter((s) => !s.ok).length;
  return { status: failed ? 'failed' : ran ? 'done' : 'already', ran, skipped: steps.length - ran, failed, steps };
}
