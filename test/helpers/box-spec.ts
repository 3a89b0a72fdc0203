import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Box's own OpenAPI 3.0 description (../shared/spec/box-openapi-subset.json), turned into JSON
 * Schema for ajv, to check localbox's answers and the client's requests mechanically.
 */

type Json = Record<string, unknown>;

const SPEC_PATH = fileURLToPath(new URL('../../../shared/spec/box-openapi-subset.json', import.meta.url));

/**
 * Where the spec and what Box does disagree, the test follows Box (box-api.md): each entry
 * changes the spec's schema before it is compiled, and conformance.test.ts lists why.
 */
export type SchemaOverride = (schemas: Record<string, Json>) => void;

/**
 * OpenAPI 3.0 schema to JSON Schema: `nullable: true` (not JSON Schema) becomes "or null", and
 * `example` values (one holds a `$id` ajv would take for a schema id) and `x-box-*` notes go.
 */
export function convertNullable(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((each) => convertNullable(each));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const note = key === 'nullable' || key === 'example' || key === 'examples' || key.startsWith('x-');
    if (!inProperties && note) continue;
    out[key] = convertNullable(value, !inProperties && (key === 'properties' || key === 'patternProperties'));
  }
  if (inProperties || (node as Json)['nullable'] !== true) return out;
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...out['enum'], null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/** The spec's refs point into its own document; inline schemas reach them through the `box` document. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `box${value}` : absoluteRefs(value),
    ]),
  );
}

interface Operation {
  template: string;
  pattern: RegExp;
  method: string;
  op: Json;
}

export interface Exchange {
  method: string;
  /** The URL as sent to localbox (API `/2.0/...` or uploads `/api/2.0/...`). */
  url: string;
  requestHeaders?: Record<string, string>;
  /** A JSON request body, parsed, or the attributes of a multipart one. */
  requestJson?: unknown;
  status: number;
  /** A JSON response body, parsed; undefined when empty. */
  responseJson?: unknown;
  responseText: string;
}

export class BoxSpec {
  readonly #ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  readonly #operations: Operation[] = [];
  readonly #validators = new Map<unknown, ValidateFunction>();

  constructor(overrides: readonly SchemaOverride[] = []) {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
    const components = spec['components'] as { schemas: Record<string, Json> };
    const schemas = convertNullable(components.schemas) as Record<string, Json>;
    for (const override of overrides) override(schemas);
    // One document holding every schema, so the spec's `#/components/schemas/X` refs resolve in it.
    this.#ajv.addSchema({ $id: 'box', components: { schemas } });
    for (const [template, methods] of Object.entries(spec['paths'] as Record<string, Json>)) {
      // `/files/{file_id}#add_shared_link` is the spec's name for one more operation on that path.
      const path = template.replace(/#.*$/, '');
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) {
        this.#operations.push({ template, pattern, method: method.toUpperCase(), op: op as Json });
      }
    }
  }

  /**
   * The spec's operation for a localbox URL: `/api/2.0/x` and `/2.0/x` are the spec's `/x`. Of a
   * path's variants (GET /files/{id} and its `#get_shared_link`), the first listed is taken.
   */
  operation(method: string, url: string): Operation | undefined {
    const path = new URL(url, 'http://localhost').pathname.replace(/^(\/api)?\/2\.0/, '').replace(/(.)\/$/, '$1');
    return this.#operations.find((each) => each.method === method && each.pattern.test(path));
  }

  #validate(schema: unknown, value: unknown, what: string): string[] {
    let validator = this.#validators.get(schema);
    if (!validator) {
      validator = this.#ajv.compile({
        ...(absoluteRefs(convertNullable(schema)) as Json),
        $id: `inline-${this.#validators.size}`,
      });
      this.#validators.set(schema, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map((error) => `${what}${error.instancePath} ${error.message ?? ''}`);
  }

  /** Problems with an answer, judged by the spec's response for its status (or `default`). */
  checkResponse(exchange: Exchange): string[] {
    const found = this.operation(exchange.method, exchange.url);
    if (!found) return [`${exchange.method} ${exchange.url} is not in Box's spec`];
    const responses = found.op['responses'] as Record<string, Json>;
    const response = responses[String(exchange.status)] ?? responses['default'];
    const where = `${exchange.method} ${found.template} ${exchange.status}`;
    if (!response) return [`${where}: the spec lists no such answer`];
    const content = response['content'] as Record<string, { schema?: unknown }> | undefined;
    const json = content?.['application/json'];
    if (!json) {
      if (!content && exchange.responseText !== '') return [`${where}: the spec says no body, localbox sent one`];
      return [];
    }
    if (exchange.responseJson === undefined) return [`${where}: the spec says a JSON body, localbox sent none`];
    return this.#validate(json.schema, exchange.responseJson, `${where} body`);
  }

  /** Problems with a request: its JSON (or multipart attributes), required headers, query parameters. */
  checkRequest(exchange: Exchange): string[] {
    const found = this.operation(exchange.method, exchange.url);
    if (!found) return [`${exchange.method} ${exchange.url} is not in Box's spec`];
    const where = `${exchange.method} ${found.template} request`;
    const problems: string[] = [];
    const query = new URL(exchange.url, 'http://localhost').searchParams;
    for (const parameter of (found.op['parameters'] ?? []) as Json[]) {
      const name = String(parameter['name']);
      if (parameter['in'] === 'header') {
        const value = exchange.requestHeaders?.[name.toLowerCase()];
        if (value === undefined && parameter['required'] === true) problems.push(`${where}: header ${name} missing`);
        else if (value !== undefined) problems.push(...this.#validate(parameter['schema'], value, `${where} ${name}`));
      }
      if (parameter['in'] === 'query' && query.has(name)) {
        const schema = parameter['schema'] as Json;
        const raw = query.get(name)!;
        const value =
          schema['type'] === 'integer'
            ? Number(raw)
            : schema['type'] === 'boolean'
              ? (({ true: true, false: false } as Record<string, boolean>)[raw] ?? raw)
              : schema['type'] === 'array'
                ? raw.split(',')
                : raw;
        problems.push(...this.#validate(schema, value, `${where} ?${name}`));
      }
    }
    const body = (found.op['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined;
    if (body?.['application/json']) {
      problems.push(...this.#validate(body['application/json']['schema'], exchange.requestJson, `${where} body`));
    }
    const multipart = body?.['multipart/form-data']?.['schema'] as Json | undefined;
    if (multipart) {
      const attributes = (multipart['properties'] as Record<string, unknown>)['attributes'];
      problems.push(...this.#validate(attributes, exchange.requestJson, `${where} attributes`));
    }
    return problems;
  }
}
