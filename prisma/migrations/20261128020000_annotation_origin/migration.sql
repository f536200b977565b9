-- Who made each quote and position: a person (ANNOTATED) or the extractor (EXTRACTED, with its
-- confidence). Hand-written as ADD COLUMN rather than Prisma's table rebuild: rebuilding "Quote"
-- would drop the triggers that keep the QuoteSearch full-text index in sync.
ALTER TABLE "Quote" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'ANNOTATED';
ALTER TABLE "Quote" ADD COLUMN "confidence" REAL;
ALTER TABLE "Position" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'ANNOTATED';
ALTER TABLE "Position" ADD COLUMN "confidence" REAL;
