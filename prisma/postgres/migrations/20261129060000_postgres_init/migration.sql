-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Person" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "displayName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleGrant" (
    "id" BIGSERIAL NOT NULL,
    "personId" BIGINT NOT NULL,
    "role" TEXT NOT NULL,
    "grantedById" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedById" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ChannelBinding" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "updatedById" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FiscalYear" (
    "id" BIGSERIAL NOT NULL,
    "year" BIGINT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CNY',

    CONSTRAINT "FiscalYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetLine" (
    "id" BIGSERIAL NOT NULL,
    "fiscalYearId" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT 'other',
    "annualAmount" BIGINT NOT NULL,
    "ownerId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyAllocation" (
    "id" BIGSERIAL NOT NULL,
    "lineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "planned" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthlyAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Expense" (
    "id" BIGSERIAL NOT NULL,
    "lineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "note" TEXT NOT NULL,
    "recordedById" BIGINT NOT NULL,
    "campaignId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Expense_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAdjustment" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "fromLineId" BIGINT,
    "toLineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requesterId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),

    CONSTRAINT "BudgetAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalStep" (
    "id" BIGSERIAL NOT NULL,
    "adjustmentId" BIGINT NOT NULL,
    "step" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "deciderId" BIGINT NOT NULL,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "onBehalfOfId" BIGINT,

    CONSTRAINT "ApprovalStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "theme" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "channels" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "lineId" BIGINT NOT NULL,
    "amount" BIGINT NOT NULL,
    "kpiTargets" TEXT NOT NULL,
    "results" TEXT,
    "actualCost" BIGINT,
    "lessons" TEXT,
    "status" TEXT NOT NULL,
    "ownerId" BIGINT NOT NULL,
    "decidedById" BIGINT,
    "decidedOnBehalfOfId" BIGINT,
    "decidedAt" TIMESTAMP(3),
    "decisionComment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "evaluatedAt" TIMESTAMP(3),
    "revision" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetCommitment" (
    "id" BIGSERIAL NOT NULL,
    "campaignId" BIGINT NOT NULL,
    "lineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,

    CONSTRAINT "BudgetCommitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Risk" (
    "id" BIGSERIAL NOT NULL,
    "category" TEXT NOT NULL,
    "likelihood" BIGINT NOT NULL,
    "impact" BIGINT NOT NULL,
    "score" BIGINT NOT NULL,
    "grade" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "campaignId" BIGINT,
    "ownerId" BIGINT,
    "reporterId" BIGINT NOT NULL,
    "strategy" TEXT,
    "dueDate" TEXT,
    "status" TEXT NOT NULL,
    "closeNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),

    CONSTRAINT "Risk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaTopic" (
    "id" BIGSERIAL NOT NULL,
    "text" TEXT NOT NULL,
    "addedById" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "AgendaTopic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VarianceExplanation" (
    "id" BIGSERIAL NOT NULL,
    "lineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "byId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VarianceExplanation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThresholdAlert" (
    "id" BIGSERIAL NOT NULL,
    "lineId" BIGINT NOT NULL,
    "month" TEXT NOT NULL,
    "threshold" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThresholdAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" BIGSERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "owner" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "cardKey" TEXT,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" BIGINT NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "dedupeKey" TEXT,
    "claimedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetPlan" (
    "id" BIGSERIAL NOT NULL,
    "year" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 1,
    "drafterId" BIGINT,
    "submittedById" BIGINT,
    "submittedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanLine" (
    "id" BIGSERIAL NOT NULL,
    "planId" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "ownerId" BIGINT,
    "months" TEXT NOT NULL,
    "annual" BIGINT NOT NULL,

    CONSTRAINT "PlanLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanVersion" (
    "id" BIGSERIAL NOT NULL,
    "planId" BIGINT NOT NULL,
    "version" BIGINT NOT NULL,
    "lines" TEXT NOT NULL,
    "submittedById" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanStep" (
    "id" BIGSERIAL NOT NULL,
    "planId" BIGINT NOT NULL,
    "version" BIGINT NOT NULL,
    "step" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "deciderId" BIGINT NOT NULL,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "onBehalfOfId" BIGINT,

    CONSTRAINT "PlanStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanAmendment" (
    "id" BIGSERIAL NOT NULL,
    "planId" BIGINT NOT NULL,
    "year" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "months" TEXT NOT NULL,
    "annual" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "requesterId" BIGINT NOT NULL,
    "lineId" BIGINT,
    "remindedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "PlanAmendment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanAmendmentStep" (
    "id" BIGSERIAL NOT NULL,
    "amendmentId" BIGINT NOT NULL,
    "step" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "deciderId" BIGINT NOT NULL,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "onBehalfOfId" BIGINT,

    CONSTRAINT "PlanAmendmentStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingImport" (
    "id" BIGSERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "year" BIGINT,
    "messageId" TEXT,
    "fileKey" TEXT,
    "fileName" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoredFile" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlatformUpload" (
    "id" BIGSERIAL NOT NULL,
    "fileId" BIGINT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardRef" (
    "id" BIGSERIAL NOT NULL,
    "cardKey" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CardRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedDelivery" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT,
    "doneAt" TIMESTAMP(3),
    "owner" TEXT,

    CONSTRAINT "ProcessedDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delegation" (
    "id" BIGSERIAL NOT NULL,
    "delegatorId" BIGINT NOT NULL,
    "delegateId" BIGINT NOT NULL,
    "role" TEXT NOT NULL,
    "until" TEXT,
    "endsAt" TIMESTAMP(3),
    "createdById" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" BIGINT,

    CONSTRAINT "Delegation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" BIGINT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FormSession" (
    "id" TEXT NOT NULL,
    "formRef" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FormSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Person_platform_workspaceId_userId_key" ON "Person"("platform", "workspaceId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleGrant_personId_role_key" ON "RoleGrant"("personId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelBinding_platform_workspaceId_purpose_key" ON "ChannelBinding"("platform", "workspaceId", "purpose");

-- CreateIndex
CREATE UNIQUE INDEX "FiscalYear_year_key" ON "FiscalYear"("year");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetLine_fiscalYearId_code_key" ON "BudgetLine"("fiscalYearId", "code");

-- CreateIndex
CREATE INDEX "MonthlyAllocation_month_idx" ON "MonthlyAllocation"("month");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyAllocation_lineId_month_key" ON "MonthlyAllocation"("lineId", "month");

-- CreateIndex
CREATE INDEX "Expense_lineId_month_idx" ON "Expense"("lineId", "month");

-- CreateIndex
CREATE INDEX "Expense_campaignId_month_idx" ON "Expense"("campaignId", "month");

-- CreateIndex
CREATE INDEX "Expense_month_lineId_amount_idx" ON "Expense"("month", "lineId", "amount");

-- CreateIndex
CREATE INDEX "BudgetAdjustment_status_createdAt_idx" ON "BudgetAdjustment"("status", "createdAt");

-- CreateIndex
CREATE INDEX "BudgetAdjustment_requesterId_idx" ON "BudgetAdjustment"("requesterId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalStep_adjustmentId_step_key" ON "ApprovalStep"("adjustmentId", "step");

-- CreateIndex
CREATE INDEX "Campaign_status_endDate_idx" ON "Campaign"("status", "endDate");

-- CreateIndex
CREATE INDEX "Campaign_status_startDate_idx" ON "Campaign"("status", "startDate");

-- CreateIndex
CREATE INDEX "Campaign_lineId_idx" ON "Campaign"("lineId");

-- CreateIndex
CREATE INDEX "BudgetCommitment_lineId_month_idx" ON "BudgetCommitment"("lineId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetCommitment_campaignId_month_key" ON "BudgetCommitment"("campaignId", "month");

-- CreateIndex
CREATE INDEX "Risk_status_grade_idx" ON "Risk"("status", "grade");

-- CreateIndex
CREATE INDEX "Risk_grade_ownerId_createdAt_idx" ON "Risk"("grade", "ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "AgendaTopic_status_id_idx" ON "AgendaTopic"("status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "VarianceExplanation_lineId_month_key" ON "VarianceExplanation"("lineId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "ThresholdAlert_lineId_month_threshold_key" ON "ThresholdAlert"("lineId", "month", "threshold");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_period_key" ON "JobRun"("job", "period");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_status_nextAttemptAt_id_idx" ON "OutboxMessage"("platform", "status", "nextAttemptAt", "id");

-- CreateIndex
CREATE INDEX "OutboxMessage_cardKey_platform_workspaceId_idx" ON "OutboxMessage"("cardKey", "platform", "workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetPlan_year_key" ON "BudgetPlan"("year");

-- CreateIndex
CREATE INDEX "BudgetPlan_status_idx" ON "BudgetPlan"("status");

-- CreateIndex
CREATE UNIQUE INDEX "PlanLine_planId_code_key" ON "PlanLine"("planId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanVersion_planId_version_key" ON "PlanVersion"("planId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "PlanStep_planId_version_step_key" ON "PlanStep"("planId", "version", "step");

-- CreateIndex
CREATE INDEX "PlanAmendment_status_idx" ON "PlanAmendment"("status");

-- CreateIndex
CREATE INDEX "PlanAmendment_year_code_idx" ON "PlanAmendment"("year", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanAmendmentStep_amendmentId_step_key" ON "PlanAmendmentStep"("amendmentId", "step");

-- CreateIndex
CREATE INDEX "PendingImport_platform_workspaceId_userId_kind_idx" ON "PendingImport"("platform", "workspaceId", "userId", "kind");

-- CreateIndex
CREATE INDEX "StoredFile_createdAt_idx" ON "StoredFile"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlatformUpload_fileId_platform_workspaceId_scope_key" ON "PlatformUpload"("fileId", "platform", "workspaceId", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "CardRef_cardKey_platform_workspaceId_channelId_key" ON "CardRef"("cardKey", "platform", "workspaceId", "channelId");

-- CreateIndex
CREATE INDEX "ProcessedDelivery_receivedAt_idx" ON "ProcessedDelivery"("receivedAt");

-- CreateIndex
CREATE INDEX "ProcessedDelivery_doneAt_receivedAt_idx" ON "ProcessedDelivery"("doneAt", "receivedAt");

-- CreateIndex
CREATE INDEX "Delegation_delegateId_role_idx" ON "Delegation"("delegateId", "role");

-- CreateIndex
CREATE INDEX "Delegation_delegatorId_role_idx" ON "Delegation"("delegatorId", "role");

-- CreateIndex
CREATE INDEX "Delegation_endsAt_idx" ON "Delegation"("endsAt");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "FormSession_expiresAt_idx" ON "FormSession"("expiresAt");

-- AddForeignKey
ALTER TABLE "RoleGrant" ADD CONSTRAINT "RoleGrant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetLine" ADD CONSTRAINT "BudgetLine_fiscalYearId_fkey" FOREIGN KEY ("fiscalYearId") REFERENCES "FiscalYear"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetLine" ADD CONSTRAINT "BudgetLine_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyAllocation" ADD CONSTRAINT "MonthlyAllocation_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "BudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "BudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Expense" ADD CONSTRAINT "Expense_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAdjustment" ADD CONSTRAINT "BudgetAdjustment_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalStep" ADD CONSTRAINT "ApprovalStep_adjustmentId_fkey" FOREIGN KEY ("adjustmentId") REFERENCES "BudgetAdjustment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalStep" ADD CONSTRAINT "ApprovalStep_deciderId_fkey" FOREIGN KEY ("deciderId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "BudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetCommitment" ADD CONSTRAINT "BudgetCommitment_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetCommitment" ADD CONSTRAINT "BudgetCommitment_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "BudgetLine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Risk" ADD CONSTRAINT "Risk_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Risk" ADD CONSTRAINT "Risk_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Risk" ADD CONSTRAINT "Risk_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaTopic" ADD CONSTRAINT "AgendaTopic_addedById_fkey" FOREIGN KEY ("addedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanLine" ADD CONSTRAINT "PlanLine_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanLine" ADD CONSTRAINT "PlanLine_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanVersion" ADD CONSTRAINT "PlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanStep" ADD CONSTRAINT "PlanStep_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanAmendment" ADD CONSTRAINT "PlanAmendment_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanAmendmentStep" ADD CONSTRAINT "PlanAmendmentStep_amendmentId_fkey" FOREIGN KEY ("amendmentId") REFERENCES "PlanAmendment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlatformUpload" ADD CONSTRAINT "PlatformUpload_fileId_fkey" FOREIGN KEY ("fileId") REFERENCES "StoredFile"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only in the database itself (as the SQLite triggers of 20261129034754_approvals):
-- UPDATE, DELETE and TRUNCATE are refused, whoever asks.
CREATE FUNCTION "AuditLog_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'AuditLog is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER "AuditLog_no_update" BEFORE UPDATE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "AuditLog_append_only"();

CREATE TRIGGER "AuditLog_no_delete" BEFORE DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "AuditLog_append_only"();

CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION "AuditLog_append_only"();
