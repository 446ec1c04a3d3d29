// Reads the create-job request out of the OpenAPI document, so the form offers what the API takes.

/** Follows local `$ref`s (`#/components/schemas/Name`) until a schema without one. */
function resolver(doc) {
  return function resolve(schema) {
    for (let seen = 0; schema?.$ref && seen < 32; seen++) {
      schema = schema.$ref
        .replace(/^#\//, '')
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce((node, part) => node?.[part], doc);
    }
    return schema ?? {};
  };
}

/** A schema with the properties of its `allOf`, `oneOf` and `anyOf` branches merged in (first one wins). */
function flatten(schema, resolve) {
  schema = resolve(schema);
  const branches = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((b) => flatten(b, resolve));
  const properties = Object.assign({}, ...branches.map((b) => b.properties ?? {}).reverse(), schema.properties ?? {});
  return { ...schema, properties };
}

/** The values a schema allows when it lists them: `enum`, `const`, or branches of those. */
function choices(schema, resolve) {
  schema = resolve(schema);
  if (Array.isArray(schema.enum)) return schema.enum.filter((v) => v !== null);
  if ('const' in schema) return [schema.const];
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  const values = branches.flatMap((b) => choices(b, resolve) ?? []);
  return values.length ? values : null;
}

function type(schema) {
  const types = [schema.type].flat().filter((t) => t && t !== 'null');
  return types[0] ?? 'string';
}

/** One form field per param: its name, JSON type, limits, choices and description. */
function field(name, schema, resolve) {
  const flat = flatten(schema, resolve);
  const values = choices(flat, resolve);
  return {
    name,
    kind: values ? 'choice' : type(flat),
    choices: values,
    minimum: flat.minimum ?? flat.exclusiveMinimum,
    maximum: flat.maximum ?? flat.exclusiveMaximum,
    maxLength: flat.maxLength,
    description: flat.description ?? '',
  };
}

/**
 * The create-job form: the request body of `POST /v1/jobs` (its JSON schema, or the multipart's `request`
 * part), else the component schema with `operation` and `params`. `providers` is empty when the request cannot
 * name one.
 */
export function createJobForm(doc) {
  const resolve = resolver(doc);
  const content = resolve(doc.paths?.['/v1/jobs']?.post?.requestBody).content ?? {};
  const candidates = [
    content['application/json']?.schema,
    flatten(content['multipart/form-data']?.schema ?? {}, resolve).properties.request,
    ...Object.values(doc.components?.schemas ?? {}),
  ];
  const request = candidates
    .filter(Boolean)
    .map((c) => flatten(c, resolve))
    .find((s) => s.properties.operation && s.properties.params);
  if (!request) throw new Error('the OpenAPI document has no create-job request with operation and params');
  const { operation, provider, params, webhook, webhook_events_filter: events } = request.properties;
  const paramSchema = flatten(params, resolve);
  return {
    operations: choices(operation, resolve) ?? [],
    providers: provider ? choices(provider, resolve) ?? [] : [],
    params: Object.entries(paramSchema.properties).map(([name, schema]) => field(name, schema, resolve)),
    // provider → operation → the params it takes, where the document says (absent: every param, every pair).
    providerParams: doc.components?.['x-visage-provider-params'] ?? paramSchema['x-visage-provider-params'] ?? null,
    webhook: Boolean(webhook),
    webhookEvents: events ? choices(resolve(events).items ?? {}, resolve) ?? [] : [],
  };
}

/** The providers that do `operation`, and the params the chosen one (else any of them) takes for it. */
export function applicable(form, operation, provider) {
  const map = form.providerParams;
  if (!map) return { providers: form.providers, params: new Set(form.params.map((p) => p.name)) };
  const providers = form.providers.filter((p) => map[p]?.[operation]);
  const chosen = provider && providers.includes(provider) ? [provider] : providers;
  return { providers, params: new Set(chosen.flatMap((p) => map[p][operation])) };
}

/** A param's value as the API wants it, or undefined when the field is left empty. */
export function paramValue(param, input) {
  if (input.value === '') return undefined;
  if (param.kind === 'choice') return param.choices[Number(input.value)];
  if (param.kind === 'boolean') return input.value === 'true';
  if (param.kind === 'integer') return Number.parseInt(input.value, 10);
  if (param.kind === 'number') return Number(input.value);
  return input.value;
}
