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

-- A text's words for the index. Everything but letters, digits, combining marks and _ becomes a
-- space first: PostgreSQL's parser would otherwise read "<b and c>" as an HTML tag and drop it, and
-- "example.com" or "x@y.org" as one host or e-mail token, where FTS5 (and a search box) sees words.
-- The database's LC_CTYPE must be a UTF-8 one (C.UTF-8, en_US.UTF-8, ...) for [:alnum:] to take in
-- letters beyond ASCII.
CREATE FUNCTION newsgraph_words(content text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT to_tsvector('newsgraph', regexp_replace(content, '[^[:alnum:]_\u0300-\u036f]+', ' ', 'g'))
$$;

-- Each searchable table has a search table beside it, as on SQLite ("ArticleSearch", "QuoteSearch",
-- "ActorSearch"): one row per row searched, its words in a tsvector (title weighted above body, name
-- above aliases) under a GIN index, kept by triggers. Beside the tables rather than a column in them,
-- so the tables Prisma models stay exactly as prisma/schema.prisma describes them.
CREATE TABLE "ArticleSearch" (
  "id" INTEGER PRIMARY KEY REFERENCES "Article"("id") ON DELETE CASCADE,
  "search" tsvector NOT NULL
);
CREATE TABLE "QuoteSearch" (
  "id" INTEGER PRIMARY KEY REFERENCES "Quote"("id") ON DELETE CASCADE,
  "search" tsvector NOT NULL
);
CREATE TABLE "ActorSearch" (
  "id" INTEGER PRIMARY KEY REFERENCES "Actor"("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "aliases" TEXT NOT NULL DEFAULT '',
  "search" tsvector NOT NULL
);

CREATE FUNCTION newsgraph_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ArticleSearch" ("id", "search")
    VALUES (NEW."id", setweight(newsgraph_words(NEW."title"), 'A') || setweight(newsgraph_words(NEW."body"), 'D'))
    ON CONFLICT ("id") DO UPDATE SET "search" = EXCLUDED."search";
  RETURN NULL;
END $$;
CREATE TRIGGER "Article_search" AFTER INSERT OR UPDATE OF "title", "body" ON "Article"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_article_search();

CREATE FUNCTION newsgraph_quote_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "QuoteSearch" ("id", "search") VALUES (NEW."id", newsgraph_words(NEW."text"))
    ON CONFLICT ("id") DO UPDATE SET "search" = EXCLUDED."search";
  RETURN NULL;
END $$;
CREATE TRIGGER "Quote_search" AFTER INSERT OR UPDATE OF "text" ON "Quote"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_quote_search();

-- An actor's row: its name, and its aliases joined as SQLite's ActorSearch joins them. The aliases
-- are not kept by a trigger of their own: the writes that change them rewrite each touched actor
-- once per write (refreshActorSearch in src/services/actor-search.ts), as on SQLite.
CREATE FUNCTION newsgraph_refresh_actor(actor_id integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ActorSearch" ("id", "name", "aliases", "search")
    SELECT a."id", a."name", l.aliases, setweight(newsgraph_words(a."name"), 'A') || setweight(newsgraph_words(l.aliases), 'B')
      FROM "Actor" a,
           LATERAL (SELECT coalesce(string_agg("alias", ' | ' ORDER BY "id"), '') AS aliases FROM "ActorAlias" WHERE "actorId" = a."id") l
     WHERE a."id" = actor_id
    ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "aliases" = EXCLUDED."aliases", "search" = EXCLUDED."search";
$$;
CREATE FUNCTION newsgraph_actor_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM newsgraph_refresh_actor(NEW."id");
  RETURN NULL;
END $$;
CREATE TRIGGER "Actor_search" AFTER INSERT OR UPDATE OF "name" ON "Actor"
  FOR EACH ROW EXECUTE FUNCTION newsgraph_actor_search();

CREATE INDEX "ArticleSearch_search_idx" ON "ArticleSearch" USING GIN ("search");
CREATE INDEX "QuoteSearch_search_idx" ON "QuoteSearch" USING GIN ("search");
CREATE INDEX "ActorSearch_search_idx" ON "ActorSearch" USING GIN ("search");

UPDATE "Article" SET "title" = "title";
UPDATE "Quote" SET "text" = "text";
UPDATE "Actor" SET "name" = "name";
