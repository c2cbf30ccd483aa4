-- CreateTable
CREATE TABLE "FormSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "formRef" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FormSession_expiresAt_idx" ON "FormSession"("expiresAt");
