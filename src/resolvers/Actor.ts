import type { ActorResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { actorMembers, actorPositions, actorQuotes, childArticles } from './child-pages.js';

export const Actor: ActorResolvers = {
  id: (actor) => toGlobalId('Actor', actor.id),
  aliases: (actor, _, { loaders }) => loaders.aliasesByActorId.load(actor.id),
  affiliation: (actor, _, { loaders }) => (actor.affiliationId === null ? null : loaders.actorById.get(actor.affiliationId)),
  members: (actor, args, { loaders }) => actorMembers(loaders, actor.id, args),
  quotes: (actor, args, { loaders }) => actorQuotes(loaders, actor, args),
  positions: (actor, args, { loaders }) => actorPositions(loaders, actor.id, args),
  articles: (actor, args, { loaders }) =>
    childArticles(loaders, 'articleIdsByActorPage', actor.id, args, () => loaders.articleCountByActorId.load(actor.id)),
};
