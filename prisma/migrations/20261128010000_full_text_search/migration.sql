-- Full-text search with SQLite FTS5. Prisma's schema language cannot describe virtual tables or
-- triggers, so this migration is written by hand; schema.prisma does not mention these tables.
-- unicode61 with remove_diacritics folds case and accents: "zelenskyy" finds "Zelenskyy", "sao" finds "São".

-- Articles: an external-content index over Article(title, body), kept in sync by triggers.
CREATE VIRTUAL TABLE "ArticleSearch" USING fts5(
  title, body,
  content = 'Article', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER "Article_search_insert" AFTER INSERT ON "Article" BEGIN
  INSERT INTO "ArticleSearch" (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER "Article_search_delete" AFTER DELETE ON "Article" BEGIN
  INSERT INTO "ArticleSearch" ("ArticleSearch", rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER "Article_search_update" AFTER UPDATE OF title, body ON "Article" BEGIN
  INSERT INTO "ArticleSearch" ("ArticleSearch", rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO "ArticleSearch" (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
INSERT INTO "ArticleSearch" ("ArticleSearch") VALUES ('rebuild');

-- Quotes: the same over Quote(text).
CREATE VIRTUAL TABLE "QuoteSearch" USING fts5(
  text,
  content = 'Quote', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER "Quote_search_insert" AFTER INSERT ON "Quote" BEGIN
  INSERT INTO "QuoteSearch" (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER "Quote_search_delete" AFTER DELETE ON "Quote" BEGIN
  INSERT INTO "QuoteSearch" ("QuoteSearch", rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER "Quote_search_update" AFTER UPDATE OF text ON "Quote" BEGIN
  INSERT INTO "QuoteSearch" ("QuoteSearch", rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO "QuoteSearch" (rowid, text) VALUES (new.id, new.text);
END;
INSERT INTO "QuoteSearch" ("QuoteSearch") VALUES ('rebuild');

-- Actors: a self-contained index of each actor's name and all its aliases (one row per actor,
-- rowid = Actor.id), rewritten whenever the actor or one of its aliases changes.
CREATE VIRTUAL TABLE "ActorSearch" USING fts5(
  name, aliases,
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER "Actor_search_insert" AFTER INSERT ON "Actor" BEGIN
  INSERT INTO "ActorSearch" (rowid, name, aliases) VALUES (new.id, new.name, '');
END;
CREATE TRIGGER "Actor_search_delete" AFTER DELETE ON "Actor" BEGIN
  DELETE FROM "ActorSearch" WHERE rowid = old.id;
END;
CREATE TRIGGER "Actor_search_update" AFTER UPDATE OF name ON "Actor" BEGIN
  UPDATE "ActorSearch" SET name = new.name WHERE rowid = new.id;
END;
CREATE TRIGGER "ActorAlias_search_insert" AFTER INSERT ON "ActorAlias" BEGIN
  UPDATE "ActorSearch" SET aliases = (SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = new.actorId) WHERE rowid = new.actorId;
END;
CREATE TRIGGER "ActorAlias_search_delete" AFTER DELETE ON "ActorAlias" BEGIN
  UPDATE "ActorSearch" SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = old.actorId), '') WHERE rowid = old.actorId;
END;
CREATE TRIGGER "ActorAlias_search_update" AFTER UPDATE ON "ActorAlias" BEGIN
  UPDATE "ActorSearch" SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = old.actorId), '') WHERE rowid = old.actorId;
  UPDATE "ActorSearch" SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = new.actorId), '') WHERE rowid = new.actorId;
END;
INSERT INTO "ActorSearch" (rowid, name, aliases)
  SELECT a.id, a.name, coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = a.id), '') FROM "Actor" a;
