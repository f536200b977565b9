-- The newest articles first, undated ones last: `ORDER BY "publishedAt" DESC NULLS LAST, "id" DESC`,
-- the default order of every article list and of the benchmark's article page. PostgreSQL reads an
-- ascending index backwards as DESC NULLS FIRST, so "Article_publishedAt_id_idx" cannot serve it and
-- each page sorted the whole table (an article page took 83 ms at 100,000 articles). SQLite needs no
-- such index: there NULLs are the smallest values, and DESC already puts them last.
CREATE INDEX "Article_publishedAt_desc_id_idx" ON "Article"("publishedAt" DESC NULLS LAST, "id" DESC);
