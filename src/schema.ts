import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { resolvers } from './resolvers/index.js';

/** schema.graphql, beside src/, is the source of truth for the API. */
export const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

/** The executable schema; seeding also uses it to validate seed files exactly as the API would. */
export const schema = makeExecutableSchema({ typeDefs, resolvers });
