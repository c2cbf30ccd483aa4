// `/budget plan import` through the Slack modal: the form's file_input gives a file that the bot downloads
// (url_private_download, with the bot token, only from Slack's file host or SLACK_API_URL's origin, files.ts) after
// the ack; what cannot be read is refused in the person's language, and nothing is imported.
import type { Locale } from '../../domain/types.js';
import { t } from '../../i18n/index.js';
import { log } from '../../log.js';
import { markup, plainText } from '../../messages/markup.js';
import type { Message } from '../../messages/model.js';
import { MAX_IMPORT_BYTES } from '../../sheets/import.js';
import type { Actor, FormValues } from '../../usecases/types.js';
import { DownloadRefused, downloadSlackFile } from './files.js';

/** The form whose submission carries a file (src/usecases/plan). */
export const PLAN_IMPORT_FORM = 'plan.import';

/** The modal's file, downloaded, or why not. */
export async function downloadPlanFile(
  locale: Locale,
  actor: Actor,
  values: FormValues,
  botToken: string,
  apiUrl: string | undefined,
): Promise<{ refused: Message[] } | { year: number | undefined; file: { name: string; bytes: Buffer } }> {
  const raw = Array.isArray(values.file) ? values.file[0] : values.file;
  const yearText = String(Array.isArray(values.year) ? values.year[0] : (values.year ?? '')).trim();
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const refused = (reasonKey: string, params: Record<string, string | number> = {}): { refused: Message[] } => {
    const text = t(locale, 'plan.import.refused', { year: year ?? yearText, reason: markup(t(locale, reasonKey, params)) });
    return { refused: [{ tone: 'danger', text, summary: plainText(text) }] };
  };
  let file: { name: string; url: string; size: number };
  try {
    file = JSON.parse(String(raw ?? '')) as { name: string; url: string; size: number };
  } catch {
    return refused('plan.import.no_file');
  }
  if (!file?.url) return refused('plan.import.no_file');
  if (file.size > MAX_IMPORT_BYTES) return refused('plan.import.too_large', { max: '5 MB' });
  let bytes: Buffer;
  try {
    bytes = await downloadSlackFile(file.url, botToken, apiUrl, MAX_IMPORT_BYTES);
  } catch (error) {
    if (error instanceof DownloadRefused && error.reason === 'too_large') return refused('plan.import.too_large', { max: '5 MB' });
    if (error instanceof DownloadRefused && error.reason === 'host') log.error('slack.download_host_refused', { userId: actor.userId });
    return refused('plan.import.download_failed');
  }
  return { year, file: { name: String(file.name ?? 'plan'), bytes } };
}
