-- A page of an actor's positions, or of a topic's positions of one stance (a topic board), in the
-- order they were added: `WHERE "actorId" = ? ORDER BY id LIMIT 21`. An index that ends in the id
-- hands the rows over in that order, so the page stops after its rows; without it PostgreSQL either
-- sorted every match or walked the primary key past other topics' positions to find them (a board
-- grew from 6 ms to 11 ms between 1,000 and 10,000 articles). SQLite's indexes end in the rowid, so
-- there the new board index only names what the old one already held.
DROP INDEX "Position_topicId_stance_idx";
CREATE INDEX "Position_topicId_stance_id_idx" ON "Position"("topicId", "stance", "id");
CREATE INDEX "Position_actorId_id_idx" ON "Position"("actorId", "id");
