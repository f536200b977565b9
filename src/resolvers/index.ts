import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.js';
import { Actor } from './Actor.js';
import { Article } from './Article.js';
import { connections } from './connections.js';
import { DeclaredActor } from './DeclaredActor.js';
import { Mutation } from './Mutation.js';
import { Node } from './Node.js';
import { Position } from './Position.js';
import { Query } from './Query.js';
import { Quote } from './Quote.js';
import { search } from './Search.js';
import { stats } from './Stats.js';
import { Subscription } from './Subscription.js';
import { Topic } from './Topic.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Node,
  Query,
  Mutation,
  Subscription,
  Article,
  Actor,
  Quote,
  Topic,
  Position,
  DeclaredActor,
  // What the extractor proposes is EXTRACTED until a reviewer changes it and says so.
  ExtractedQuote: { origin: () => 'EXTRACTED' },
  ExtractedPosition: { origin: () => 'EXTRACTED' },
  ...connections,
  ...search,
  ...stats,
};
