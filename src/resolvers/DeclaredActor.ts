import type { DeclaredActorResolvers } from '../generated/graphql.js';
import { idOf } from '../services/articles.js';
import { required } from './required.js';

export const DeclaredActor: DeclaredActorResolvers = {
  name: (resolution) => resolution.declared,
  actor: (resolution, _, { loaders }) => required(loaders.actorById.get(idOf(resolution.entry)), 'Actor', idOf(resolution.entry)),
};
