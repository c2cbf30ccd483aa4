-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "claimedBy" TEXT;

-- AlterTable
ALTER TABLE "ProcessedDelivery" ADD COLUMN "owner" TEXT;
