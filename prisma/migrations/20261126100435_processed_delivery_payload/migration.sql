-- AlterTable
ALTER TABLE "ProcessedDelivery" ADD COLUMN "doneAt" DATETIME;
ALTER TABLE "ProcessedDelivery" ADD COLUMN "payload" TEXT;

-- CreateIndex
CREATE INDEX "ProcessedDelivery_doneAt_receivedAt_idx" ON "ProcessedDelivery"("doneAt", "receivedAt");
