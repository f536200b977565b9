import type { ActorResolvers } from '../generated/graphql.js';
import { parseGlobalId, toGlobalId } from '../ids.js';
import { slugify } from '../text/names.js';
import { actorQuotes, childArticles } from './child-pages.js';

export const Actor: ActorResolvers = {
  id: (actor) => toGlobalId('Actor', actor.id),
  aliases: (actor, _, { loaders }) => loaders.aliasesByActorId.load(actor.id),
  affiliation: (actor, _, { loaders }) => (actor.affiliationId === null ? null : loaders.actorById.get(actor.affiliationId)),
  members: (actor, _, { loaders }) => loaders.membersByAffiliationId.load(actor.id),
  quotes: (actor, page, { loaders }) => actorQuotes(loaders, actor, page),
  positions: async (actor, { topic }, { loaders }) => {
    const positions = await loaders.positionsByActorId.load(actor.id);
    if (!topic) return positions;
    const globalId = parseGlobalId(topic);
    if (globalId?.type === 'Topic') return positions.filter((p) => p.topicId === globalId.id);
    const topics = await loaders.topicById.loadMany(positions.map((p) => p.topicId));
    const slug = slugify(topic);
    return positions.filter((_, i) => {
      const t = topics[i];
      return t !== null && t !== undefined && !(t instanceof Error) && t.slug === slug;
    });
  },
  articles: (actor, page, { loaders }) =>
    childArticles(loaders, 'articleIdsByActorPage', actor.id, page, () => loaders.articleCountByActorId.load(actor.id)),
};
