-- DropIndex
DROP INDEX "AgendaTopic_status_createdAt_idx";

-- DropIndex
DROP INDEX "OutboxMessage_status_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "AgendaTopic_status_id_idx" ON "AgendaTopic"("status", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_status_nextAttemptAt_id_idx" ON "OutboxMessage"("platform", "status", "nextAttemptAt", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_cardKey_platform_workspaceId_idx" ON "OutboxMessage"("cardKey", "platform", "workspaceId");
