-- AlterTable
ALTER TABLE "PlanAmendmentStep" ADD COLUMN "onBehalfOfId" INTEGER;
