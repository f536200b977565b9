/**
 * The fetcher GraphiQL runs operations with, as browser script (the page inlines it).
 *
 * GraphiQL re-parses the editor a moment after each change, and until then it still holds the
 * operation name of the text before: a query pasted over a named example and run at once would be
 * sent as the old operation, and Yoga's own fetcher throws "Cannot infer operation" with a stack in
 * the response pane. This fetcher reads the operation names from the text being sent, so Run always
 * runs what the editor shows: the named operation when the text has it, else the only operation.
 *
 * `operationToRun` scans the document once (comments and strings skipped, braces and parentheses
 * counted), so a pasted document of any size costs linear time.
 */
export const GRAPHIQL_FETCHER_SCRIPT = String.raw`
function operationToRun(query, operationName) {
  // One entry per operation in the document: its name, or null when anonymous.
  var operations = [];
  var depth = 0;
  // Between definitions: 'none'; after query/mutation/subscription: 'keyword'; after its name or
  // after 'fragment': 'head' (variables, directives and type conditions until the body opens).
  var state = 'none';
  var i = 0;
  while (i < query.length) {
    var c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i++;
    } else if (c === '"') {
      var block = query.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < query.length && !(block ? query.startsWith('"""', i) : query[i] === '"' || query[i] === '\n')) i += query[i] === '\\' ? 2 : 1;
      i += block ? 3 : 1;
    } else if (c === '{' || c === '(' || c === '[') {
      if (depth === 0 && c === '{') {
        if (state === 'none' || state === 'keyword') operations.push(null);
        state = 'none';
      }
      depth++;
      i++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (/[_A-Za-z]/.test(c)) {
      var start = i;
      while (i < query.length && /[_0-9A-Za-z]/.test(query[i])) i++;
      var word = query.slice(start, i);
      if (depth !== 0) continue;
      if (state === 'keyword') {
        operations.push(word);
        state = 'head';
      } else if (state === 'none' && (word === 'query' || word === 'mutation' || word === 'subscription')) {
        state = 'keyword';
      } else if (state === 'none' && word === 'fragment') {
        state = 'head';
      }
    } else {
      i++;
    }
  }
  if (operationName && operations.indexOf(operationName) >= 0) return operationName;
  return operations.length === 1 ? operations[0] || undefined : undefined;
}

function newsgraphFetcher(endpoint) {
  return function (params, options) {
    var headers = Object.assign(
      { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      (options && options.headers) || {},
    );
    var body = JSON.stringify({
      query: params.query,
      variables: params.variables || undefined,
      operationName: operationToRun(params.query, params.operationName),
    });
    return fetch(endpoint, { method: 'POST', headers: headers, body: body, credentials: 'same-origin' }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (error) {
          return { errors: [{ message: 'HTTP ' + response.status + ': ' + text }] };
        }
      });
    });
  };
}
`;
