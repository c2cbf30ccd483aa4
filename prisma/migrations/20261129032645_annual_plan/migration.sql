-- CreateTable
CREATE TABLE "BudgetPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "year" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "drafterId" INTEGER,
    "submittedById" INTEGER,
    "submittedAt" DATETIME,
    "decidedAt" DATETIME,
    "remindedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlanLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "ownerId" INTEGER,
    "months" TEXT NOT NULL,
    "annual" INTEGER NOT NULL,
    CONSTRAINT "PlanLine_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PlanLine_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "lines" TEXT NOT NULL,
    "submittedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "deciderId" INTEGER NOT NULL,
    "comment" TEXT,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanStep_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PendingImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "year" INTEGER,
    "messageId" TEXT,
    "fileKey" TEXT,
    "fileName" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BudgetLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fiscalYearId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL DEFAULT 'other',
    "annualAmount" INTEGER NOT NULL,
    "ownerId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BudgetLine_fiscalYearId_fkey" FOREIGN KEY ("fiscalYearId") REFERENCES "FiscalYear" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "BudgetLine_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_BudgetLine" ("annualAmount", "code", "createdAt", "fiscalYearId", "id", "name", "ownerId") SELECT "annualAmount", "code", "createdAt", "fiscalYearId", "id", "name", "ownerId" FROM "BudgetLine";
DROP TABLE "BudgetLine";
ALTER TABLE "new_BudgetLine" RENAME TO "BudgetLine";
CREATE UNIQUE INDEX "BudgetLine_fiscalYearId_code_key" ON "BudgetLine"("fiscalYearId", "code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
CREATE INDEX "PendingImport_platform_workspaceId_userId_kind_idx" ON "PendingImport"("platform", "workspaceId", "userId", "kind");

-- Data: the budget lines that existed before plans were introduced count as each year's approved plan (v1), so a
-- department already using the bot keeps its budget, locked like any approved plan.
INSERT INTO "BudgetPlan" ("year", "status", "version", "drafterId", "createdAt", "updatedAt", "decidedAt")
SELECT fy."year", 'approved', 1, NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "FiscalYear" fy
WHERE EXISTS (SELECT 1 FROM "BudgetLine" l WHERE l."fiscalYearId" = fy."id");

INSERT INTO "PlanLine" ("planId", "code", "name", "category", "ownerId", "months", "annual")
SELECT p."id", l."code", l."name", l."category", l."ownerId",
       (SELECT json_group_array(m."planned") FROM (SELECT a."planned" FROM "MonthlyAllocation" a WHERE a."lineId" = l."id" ORDER BY a."month") m),
       (SELECT COALESCE(SUM(a."planned"), 0) FROM "MonthlyAllocation" a WHERE a."lineId" = l."id")
FROM "BudgetLine" l
JOIN "FiscalYear" fy ON fy."id" = l."fiscalYearId"
JOIN "BudgetPlan" p ON p."year" = fy."year";

INSERT INTO "AuditLog" ("at", "actorId", "action", "entity", "entityId", "data")
SELECT CURRENT_TIMESTAMP, NULL, 'plan.migrated', 'BudgetPlan', CAST(p."id" AS TEXT), '{"version":1}'
FROM "BudgetPlan" p;
