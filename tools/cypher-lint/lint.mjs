// Lint Cypher queries against Neo4j's dialect with @neo4j-cypher/language-support.
//
// stdin:  {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]?,
//          "parameters": {name: sample}?, "cypherVersion": "5" | "25"?,
//          "queries": [{"name": "...", "text": "..."}]}
// stdout: [{"name": "...", "problems": [{"severity", "message", "line", "column"}]}]
//         (line and column are 1-based)
// exit:   0 when linting ran, 2 on bad input, 1 if the linter itself is broken.
//
// Without "parameters", $parameters are not checked; with it, unknown ones are errors.
// Without "propertyKeys", property names are not checked.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, isNotParamError, testData } from '@neo4j-cypher/language-support';

function fail(code, message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(code);
}

const isStringList = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');

function readInput() {
  let input;
  try {
    input = JSON.parse(readFileSync(0, 'utf8'));
  } catch (err) {
    fail(2, `stdin is not valid JSON: ${err.message}`);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail(2, 'input must be a JSON object');
  }
  for (const key of ['labels', 'relationshipTypes']) {
    if (!isStringList(input[key])) fail(2, `"${key}" must be a list of strings`);
  }
  if (input.propertyKeys !== undefined && !isStringList(input.propertyKeys)) {
    fail(2, '"propertyKeys" must be a list of strings');
  }
  const params = input.parameters;
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    fail(2, '"parameters" must be an object of name -> sample value');
  }
  if (input.cypherVersion !== undefined && !['5', '25'].includes(String(input.cypherVersion))) {
    fail(2, '"cypherVersion" must be "5" or "25"');
  }
  const queries = input.queries;
  if (!Array.isArray(queries) || !queries.every(
    (q) => q && typeof q.name === 'string' && typeof q.text === 'string')) {
    fail(2, '"queries" must be a list of {"name": string, "text": string}');
  }
  return input;
}

// Neo4j's built-in functions and procedures, minus plugins a stock server lacks.
function withoutPlugins(registry) {
  const isPlugin = (name) => name.startsWith('apoc.') || name.startsWith('gds.');
  return Object.fromEntries(Object.entries(registry).map(([version, entries]) => [
    version,
    Object.fromEntries(Object.entries(entries).filter(([name]) => !isPlugin(name))),
  ]));
}

function buildSchema(input) {
  const schema = {
    labels: input.labels,
    relationshipTypes: input.relationshipTypes,
    functions: withoutPlugins(testData.mockSchema.functions),
    procedures: withoutPlugins(testData.mockSchema.procedures),
    parameters: input.parameters ?? {},
  };
  if (input.propertyKeys) schema.propertyKeys = input.propertyKeys;
  if (input.cypherVersion !== undefined) schema.defaultLanguage = `CYPHER ${input.cypherVersion}`;
  return schema;
}

function lint(text, schema, checkParams) {
  const { diagnostics } = lintCypherQuery(text, schema, { consoleCommandsEnabled: false });
  return diagnostics
    .filter((d) => checkParams || isNotParamError(d))
    .map((d) => ({
      severity: d.severity === 1 ? 'error' : 'warning', // LSP: 1 error, 2 warning, 3 info, 4 hint
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    }));
}

const input = readInput();
const schema = buildSchema(input);
const checkParams = input.parameters !== undefined;

// The library swallows exceptions from its semantic analysis; make sure it is alive.
if (!lint('MATCH (n) RETURN m', schema, false).some((p) => p.message.includes('not defined'))) {
  fail(1, 'semantic analysis is not working (undefined variables are not detected)');
}

const results = input.queries.map((q) => ({ name: q.name, problems: lint(q.text, schema, checkParams) }));
process.stdout.write(JSON.stringify(results) + '\n');
