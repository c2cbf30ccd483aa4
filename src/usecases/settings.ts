// Settings live in the Setting table (changed with `/mkt set` and `/mkt lang`); defaults come from the
// environment (BOT_TIMEZONE, BOT_LOCALE) and the spec. Values are stored as JSON.
import type { Tx } from '../db/client.js';
import type { Locale, Minor } from '../domain/types.js';
import type { WorkHours } from '../domain/workHours.js';
import type { CoreConfig } from './types.js';
import { sqlRows } from '../db/raw.js';
import { Prisma } from '../generated/prisma/client.js';

export const JOB_NAMES = ['weekly-agenda', 'monthly-budget', 'monthly-report', 'reminders'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface Settings {
  leaderThreshold: Minor;
  reminderHours: number;
  timezone: string;
  locale: Locale;
  schedules: Record<JobName, string>;
  /** Working hours a decision may wait per step before it is escalated (0 = never). */
  escalateHours: { finance: number; leader: number };
  /** Hours outside count zero for escalation; null = every hour counts. */
  workHours: WorkHours | null;
}

export const DEFAULT_SCHEDULES: Record<JobName, string> = {
  'weekly-agenda': '0 10 * * 1',
  'monthly-budget': '0 9 1 * *',
  'monthly-report': '0 9 1 * *',
  reminders: '0 9 * * *',
};

export const DEFAULT_ESCALATE_HOURS = 48;

export function defaultSettings(config: CoreConfig): Settings {
  return {
    leaderThreshold: 5_000_000, // ¥50,000.00
    reminderHours: 24,
    timezone: config.timezone,
    locale: config.locale,
    schedules: { ...DEFAULT_SCHEDULES },
    escalateHours: { finance: DEFAULT_ESCALATE_HOURS, leader: DEFAULT_ESCALATE_HOURS },
    workHours: null,
  };
}

/** Setting keys as stored (and as typed in `/mkt set <key>`). */
export const SETTING_KEYS = [
  'leader_threshold',
  'reminder_hours',
  'timezone',
  'locale',
  ...JOB_NAMES.map((j) => `schedule.${j}` as const),
  'escalate_hours',
  'escalate_hours.finance',
  'escalate_hours.leader',
  'work_hours',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export async function loadSettings(tx: Tx, config: CoreConfig): Promise<Settings> {
  const settings = defaultSettings(config);
  // Read by every command: one raw statement (same SQL on both providers) costs half the CPU of the query API.
  const rows = await sqlRows<{ key: string; value: string }[]>(tx, Prisma.sql`SELECT "key", "value" FROM "Setting"`);
  const perStep: Partial<Record<'finance' | 'leader', number>> = {};
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      continue; // a corrupt row falls back to the default rather than breaking every command
    }
    if (row.key === 'leader_threshold' && Number.isSafeInteger(value)) settings.leaderThreshold = value as number;
    else if (row.key === 'reminder_hours' && Number.isSafeInteger(value)) settings.reminderHours = value as number;
    else if (row.key === 'timezone' && typeof value === 'string') settings.timezone = value;
    else if (row.key === 'locale' && (value === 'en' || value === 'zh-CN')) settings.locale = value;
    else if (row.key === 'escalate_hours' && Number.isSafeInteger(value)) settings.escalateHours = { finance: value as number, leader: value as number };
    else if ((row.key === 'escalate_hours.finance' || row.key === 'escalate_hours.leader') && Number.isSafeInteger(value)) perStep[row.key.slice(15) as 'finance' | 'leader'] = value as number;
    else if (row.key === 'work_hours') settings.workHours = isWorkHours(value) ? value : null;
    else if (row.key.startsWith('schedule.') && typeof value === 'string') {
      const job = row.key.slice('schedule.'.length) as JobName;
      if ((JOB_NAMES as readonly string[]).includes(job)) settings.schedules[job] = value;
    }
  }
  // A per-step value wins over `escalate_hours`, whichever was set last.
  settings.escalateHours = { ...settings.escalateHours, ...perStep };
  return settings;
}

function isWorkHours(v: unknown): v is WorkHours {
  const w = v as WorkHours | null;
  return (
    !!w && Number.isInteger(w.start) && Number.isInteger(w.end) && w.start >= 0 && w.end <= 1440 && w.start < w.end &&
    Array.isArray(w.days) && w.days.length > 0 && w.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)
  );
}

export async function saveSetting(tx: Tx, key: SettingKey, value: unknown, byPersonId: number | null): Promise<void> {
  const json = JSON.stringify(value);
  await tx.setting.upsert({
    where: { key },
    create: { key, value: json, updatedById: byPersonId },
    update: { value: json, updatedById: byPersonId },
  });
}
