// The append-only audit log. Always written inside the same transaction as the change it records.
import type { Tx } from '../db/client.js';

export async function audit(
  tx: Tx,
  entry: { actorId: number | null; action: string; entity: string; entityId: string | number; data?: unknown; at?: Date },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      ...(entry.at ? { at: entry.at } : {}),
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: String(entry.entityId),
      data: JSON.stringify(entry.data ?? {}),
    },
  });
}
