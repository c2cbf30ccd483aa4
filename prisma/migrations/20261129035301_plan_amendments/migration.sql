-- CreateTable
CREATE TABLE "PlanAmendment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "months" TEXT NOT NULL,
    "annual" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "lineId" INTEGER,
    "remindedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    CONSTRAINT "PlanAmendment_planId_fkey" FOREIGN KEY ("planId") REFERENCES "BudgetPlan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanAmendmentStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "amendmentId" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "deciderId" INTEGER NOT NULL,
    "comment" TEXT,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanAmendmentStep_amendmentId_fkey" FOREIGN KEY ("amendmentId") REFERENCES "PlanAmendment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PlanAmendment_status_idx" ON "PlanAmendment"("status");

-- CreateIndex
CREATE INDEX "PlanAmendment_year_code_idx" ON "PlanAmendment"("year", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanAmendmentStep_amendmentId_step_key" ON "PlanAmendmentStep"("amendmentId", "step");
