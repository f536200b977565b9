-- The alias triggers rewrote an actor's whole alias list in ActorSearch for every alias inserted,
-- so writing n aliases re-tokenized O(n^2) words (10,000 aliases took 29 s). The services that
-- write aliases now rewrite each touched actor's list once per write (refreshActorSearch in
-- src/services/actor-search.ts); the actor triggers stay, as they cost one row each.
DROP TRIGGER "ActorAlias_search_insert";
DROP TRIGGER "ActorAlias_search_delete";
DROP TRIGGER "ActorAlias_search_update";
