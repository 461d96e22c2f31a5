/**
 * Structural checks of an OpenAPI 3.1 document (no validator package is a dependency): the
 * required fields of each object, path parameters, unique operationIds, security names, and that
 * every $ref resolves. Answers the problems found, each naming where it is.
 */
type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const PARAMETER_PLACES = new Set(['query', 'header', 'path', 'cookie']);

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** The value a local JSON pointer (`#/components/schemas/Contact`) names, or undefined. */
function resolvePointer(document: Json, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

export function openApiProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return ['the document is not an object'];
  if (typeof document.openapi !== 'string' || !/^3\.1\.\d+$/.test(document.openapi))
    problems.push('openapi must be 3.1.x');
  const info = document.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    problems.push('info needs a title and a version');
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme) || typeof scheme.type !== 'string')
      problems.push(`securitySchemes.${name} needs a type`);
    else if (scheme.type === 'apiKey' && (typeof scheme.name !== 'string' || typeof scheme.in !== 'string'))
      problems.push(`securitySchemes.${name}: an apiKey needs name and in`);
    else if (scheme.type === 'http' && typeof scheme.scheme !== 'string')
      problems.push(`securitySchemes.${name}: http needs a scheme`);
  }
  const tagNames = new Set(
    Array.isArray(document.tags) ? document.tags.map((tag) => (tag as Json).name) : [],
  );
  if (!isObject(document.paths)) problems.push('paths must be an object');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    if (!isObject(item)) {
      problems.push(`${path} is not a path item`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method) || !isObject(operation)) {
        problems.push(`${at}: not an operation`);
        continue;
      }
      const id = operation.operationId;
      if (typeof id !== 'string') problems.push(`${at}: no operationId`);
      else if (operationIds.has(id)) problems.push(`${at}: operationId ${id} twice`);
      else operationIds.add(id);
      for (const tag of (operation.tags ?? []) as unknown[])
        if (!tagNames.has(tag)) problems.push(`${at}: tag ${String(tag)} not in tags`);
      for (const requirement of (operation.security ?? []) as Json[])
        for (const name of Object.keys(requirement))
          if (!(name in schemes)) problems.push(`${at}: security ${name} is no securityScheme`);
      const parameters = (operation.parameters ?? []) as Json[];
      const seen = new Set<string>();
      for (const parameter of parameters) {
        const key = `${String(parameter.in)}:${String(parameter.name)}`;
        if (seen.has(key)) problems.push(`${at}: parameter ${key} twice`);
        seen.add(key);
        if (typeof parameter.name !== 'string' || !PARAMETER_PLACES.has(parameter.in as string))
          problems.push(`${at}: parameter ${key} needs a name and a valid in`);
        if (!isObject(parameter.schema) && !isObject(parameter.content))
          problems.push(`${at}: parameter ${key} needs a schema`);
        if (parameter.in === 'path' && parameter.required !== true)
          problems.push(`${at}: path parameter ${key} must be required`);
        if (parameter.in === 'path' && !templated.includes(parameter.name as string))
          problems.push(`${at}: path parameter ${key} is not in the path`);
      }
      for (const name of templated)
        if (!seen.has(`path:${name}`)) problems.push(`${at}: {${name}} has no path parameter`);
      const body = operation.requestBody;
      if (
        body !== undefined &&
        (!isObject(body) || !isObject(body.content) || Object.keys(body.content).length === 0)
      )
        problems.push(`${at}: requestBody needs content`);
      const responses = operation.responses;
      if (!isObject(responses) || Object.keys(responses).length === 0) {
        problems.push(`${at}: no responses`);
        continue;
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(status)) problems.push(`${at}: response key ${status}`);
        if (!isObject(response) || typeof response.description !== 'string')
          problems.push(`${at} ${status}: a response needs a description`);
      }
    }
  }
  // Every $ref resolves, and every schema's type is a JSON Schema type.
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      for (const [index, child] of node.entries()) walk(child, `${where}/${index}`);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string' && resolvePointer(document, node.$ref) === undefined)
      problems.push(`${where}: $ref ${node.$ref} does not resolve`);
    if (typeof node.type === 'string' && where.includes('schema') && !SCHEMA_TYPES.has(node.type))
      problems.push(`${where}: type ${node.type}`);
    for (const [key, child] of Object.entries(node)) if (key !== 'example') walk(child, `${where}/${key}`);
  };
  walk(document, '#');
  return problems;
}
