-- The tables of prisma/postgres/schema.prisma, as written by
-- prisma migrate diff --from-empty --to-schema-datamodel prisma/postgres/schema.prisma --script
-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('PERSON', 'COUNTRY', 'ORGANIZATION', 'MEDIA', 'GROUP');

-- CreateEnum
CREATE TYPE "QuoteKind" AS ENUM ('DIRECT', 'PARTIAL', 'INDIRECT');

-- CreateEnum
CREATE TYPE "Stance" AS ENUM ('SUPPORT', 'OPPOSE', 'NEUTRAL', 'MIXED');

-- CreateEnum
CREATE TYPE "Origin" AS ENUM ('ANNOTATED', 'EXTRACTED');

-- CreateTable
CREATE TABLE "Article" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "source" TEXT,
    "url" TEXT,
    "publishedAt" TIMESTAMP(3),
    "inputDigest" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Actor" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "kind" "ActorKind" NOT NULL,
    "description" TEXT,
    "affiliationId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Actor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActorAlias" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER NOT NULL,
    "alias" TEXT NOT NULL,
    "aliasKey" TEXT NOT NULL,

    CONSTRAINT "ActorAlias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mention" (
    "articleId" INTEGER NOT NULL,
    "actorId" INTEGER NOT NULL,

    CONSTRAINT "Mention_pkey" PRIMARY KEY ("articleId","actorId")
);

-- CreateTable
CREATE TABLE "Quote" (
    "id" SERIAL NOT NULL,
    "articleId" INTEGER NOT NULL,
    "speakerId" INTEGER,
    "text" TEXT NOT NULL,
    "kind" "QuoteKind" NOT NULL,
    "channel" TEXT,
    "startOffset" INTEGER,
    "endOffset" INTEGER,
    "origin" "Origin" NOT NULL DEFAULT 'ANNOTATED',
    "confidence" DOUBLE PRECISION,

    CONSTRAINT "Quote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Topic" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArticleTopic" (
    "articleId" INTEGER NOT NULL,
    "topicId" INTEGER NOT NULL,

    CONSTRAINT "ArticleTopic_pkey" PRIMARY KEY ("articleId","topicId")
);

-- CreateTable
CREATE TABLE "Position" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER NOT NULL,
    "topicId" INTEGER NOT NULL,
    "articleId" INTEGER NOT NULL,
    "quoteId" INTEGER,
    "stance" "Stance" NOT NULL,
    "summary" TEXT NOT NULL,
    "origin" "Origin" NOT NULL DEFAULT 'ANNOTATED',
    "confidence" DOUBLE PRECISION,

    CONSTRAINT "Position_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Article_url_key" ON "Article"("url");

-- CreateIndex
CREATE INDEX "Article_publishedAt_id_idx" ON "Article"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "Article_title_idx" ON "Article"("title");

-- CreateIndex
CREATE UNIQUE INDEX "Actor_nameKey_key" ON "Actor"("nameKey");

-- CreateIndex
CREATE INDEX "Actor_affiliationId_idx" ON "Actor"("affiliationId");

-- CreateIndex
CREATE INDEX "Actor_kind_name_idx" ON "Actor"("kind", "name");

-- CreateIndex
CREATE INDEX "Actor_name_id_idx" ON "Actor"("name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ActorAlias_aliasKey_key" ON "ActorAlias"("aliasKey");

-- CreateIndex
CREATE INDEX "ActorAlias_actorId_idx" ON "ActorAlias"("actorId");

-- CreateIndex
CREATE INDEX "Mention_actorId_articleId_idx" ON "Mention"("actorId", "articleId");

-- CreateIndex
CREATE INDEX "Quote_articleId_startOffset_idx" ON "Quote"("articleId", "startOffset");

-- CreateIndex
CREATE INDEX "Quote_speakerId_id_idx" ON "Quote"("speakerId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Topic_slug_key" ON "Topic"("slug");

-- CreateIndex
CREATE INDEX "Topic_name_id_idx" ON "Topic"("name", "id");

-- CreateIndex
CREATE INDEX "ArticleTopic_topicId_articleId_idx" ON "ArticleTopic"("topicId", "articleId");

-- CreateIndex
CREATE INDEX "Position_actorId_topicId_idx" ON "Position"("actorId", "topicId");

-- CreateIndex
CREATE INDEX "Position_topicId_stance_idx" ON "Position"("topicId", "stance");

-- CreateIndex
CREATE INDEX "Position_articleId_idx" ON "Position"("articleId");

-- CreateIndex
CREATE INDEX "Position_quoteId_idx" ON "Position"("quoteId");

-- AddForeignKey
ALTER TABLE "Actor" ADD CONSTRAINT "Actor_affiliationId_fkey" FOREIGN KEY ("affiliationId") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActorAlias" ADD CONSTRAINT "ActorAlias_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_speakerId_fkey" FOREIGN KEY ("speakerId") REFERENCES "Actor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleTopic" ADD CONSTRAINT "ArticleTopic_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleTopic" ADD CONSTRAINT "ArticleTopic_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Position" ADD CONSTRAINT "Position_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "Actor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Position" ADD CONSTRAINT "Position_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Position" ADD CONSTRAINT "Position_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Position" ADD CONSTRAINT "Position_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "Quote"("id") ON DELETE SET NULL ON UPDATE CASCADE;

