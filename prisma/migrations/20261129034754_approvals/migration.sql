-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN "onBehalfOfId" INTEGER;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "decidedOnBehalfOfId" INTEGER;

-- AlterTable
ALTER TABLE "PlanStep" ADD COLUMN "onBehalfOfId" INTEGER;

-- CreateTable
CREATE TABLE "Delegation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "delegatorId" INTEGER NOT NULL,
    "delegateId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "until" TEXT,
    "endsAt" DATETIME,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" INTEGER
);

-- CreateIndex
CREATE INDEX "Delegation_delegateId_role_idx" ON "Delegation"("delegateId", "role");

-- CreateIndex
CREATE INDEX "Delegation_delegatorId_role_idx" ON "Delegation"("delegatorId", "role");

-- CreateIndex
CREATE INDEX "Delegation_endsAt_idx" ON "Delegation"("endsAt");

-- The audit log is append-only in the database itself: UPDATE and DELETE are refused (ABORT rolls the statement
-- back and fails it). PostgreSQL needs the same as a trigger function raising an exception (docs/DECISIONS.md).
CREATE TRIGGER "AuditLog_no_update" BEFORE UPDATE ON "AuditLog"
BEGIN
    SELECT RAISE(ABORT, 'AuditLog is append-only: UPDATE refused');
END;

CREATE TRIGGER "AuditLog_no_delete" BEFORE DELETE ON "AuditLog"
BEGIN
    SELECT RAISE(ABORT, 'AuditLog is append-only: DELETE refused');
END;
