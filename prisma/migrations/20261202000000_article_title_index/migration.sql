-- A second submission of the same article (same title and body) is found by its title.
CREATE INDEX "Article_title_idx" ON "Article"("title");
