-- What prisma/schema.prisma cannot say, written by hand as on SQLite: full-text search, and the
-- order of names. The whole file runs as one query in one transaction (src/migrate.ts), so the ;
-- inside the function bodies below is safe.

-- Names sort by code point, as SQLite's BINARY collation sorts them, whatever the database's
-- locale: lists ordered by name (actors, topics) and their cursors then agree on both databases.
ALTER TABLE "Actor" ALTER COLUMN "name" TYPE TEXT COLLATE "C";
ALTER TABLE "Topic" ALTER COLUMN "name" TYPE TEXT COLLATE "C";

-- Full text: words as the `simple` parser splits them, folded to lower case and stripped of accents
-- ("sao" finds "São"), without stemming, like FTS5's unicode61 tokenizer with remove_diacritics.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION newsgraph (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION newsgraph
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
  WITH unaccent, simple;

-- Each searchable row carries its words in a tsvector column (title weighted above body, name above
-- aliases), kept by triggers like the FTS5 tables on SQLite, with a GIN index over it.
ALTER TABLE "Article" ADD COLUMN "search" tsvector;
ALTER TABLE "Quote" ADD COLUMN "search" tsvector;
ALTER TABLE "Actor" ADD COLUMN "search" tsvector;

CREATE FUNCTION newsgraph_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := setweight(to_tsvector('newsgraph', NEW."title"), 'A') || setweight(to_tsvector('newsgraph', NEW."body"), 'D');
  RETURN NEW;
END $$;
CREATE TRIGGER "Article_search" BEFORE INSERT OR UPDATE OF "title", "body" ON "Article"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_article_search();

CREATE FUNCTION newsgraph_quote_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := to_tsvector('newsgraph', NEW."text");
  RETURN NEW;
END $$;
CREATE TRIGGER "Quote_search" BEFORE INSERT OR UPDATE OF "text" ON "Quote"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_quote_search();

-- An actor's words: its name, and its aliases joined as SQLite's ActorSearch joins them. The
-- aliases are not kept by a trigger of their own: the writes that change them rewrite each touched
-- actor once per write (refreshActorSearch in src/services/actor-search.ts), as on SQLite.
CREATE FUNCTION newsgraph_actor_words(actor_id integer, actor_name text) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('newsgraph', actor_name), 'A')
      || setweight(to_tsvector('newsgraph', coalesce((SELECT string_agg("alias", ' | ' ORDER BY "id") FROM "ActorAlias" WHERE "actorId" = actor_id), '')), 'B')
$$;
CREATE FUNCTION newsgraph_actor_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := newsgraph_actor_words(NEW."id", NEW."name");
  RETURN NEW;
END $$;
CREATE TRIGGER "Actor_search" BEFORE INSERT OR UPDATE OF "name" ON "Actor"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_actor_search();

UPDATE "Article" SET "title" = "title";
UPDATE "Quote" SET "text" = "text";
UPDATE "Actor" SET "name" = "name";

CREATE INDEX "Article_search_idx" ON "Article" USING GIN ("search");
CREATE INDEX "Quote_search_idx" ON "Quote" USING GIN ("search");
CREATE INDEX "Actor_search_idx" ON "Actor" USING GIN ("search");
