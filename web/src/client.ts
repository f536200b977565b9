import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { removeTypenameFromVariables } from '@apollo/client/link/remove-typename';
import { newsgraphTypePolicies } from './apollo/type-policies.js';

const TOKEN_KEY = 'newsgraph.writeToken';

/** The write token, asked for once and kept for this browser tab only (sessionStorage). */
export const writeToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export function createClient(): ApolloClient {
  const auth = new SetContextLink((prevContext) => {
    const token = writeToken.get();
    const headers = prevContext.headers as Record<string, string> | undefined;
    return token ? { headers: { ...headers, authorization: `Bearer ${token}` } } : {};
  });
  return new ApolloClient({
    // extract's answer comes back with __typename on every object; the link drops it from
    // variables, so the answer posts to addArticle as it came.
    link: ApolloLink.from([removeTypenameFromVariables(), auth, new HttpLink({ uri: '/graphql' })]),
    cache: new InMemoryCache({ typePolicies: newsgraphTypePolicies }),
  });
}
