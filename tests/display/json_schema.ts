/**
 * A small validator for the subset of JSON Schema (2020-12) used by
 * `jupyter-ext/schema/tree.schema.json`: `type` (object, array, string, integer, number,
 * boolean), `const`, `enum`, `required`, `properties`, `additionalProperties: false`, `items`,
 * `$ref` to `#/$defs/...`, `oneOf` and `minimum`. Unknown keywords make it throw, so the schema
 * cannot silently grow past what is checked.
 *
 * @example
 * ```ts
 * import { validate } from "./json_schema.ts";
 * console.log(validate({ type: "integer", minimum: 0 }, 3)); // []
 * ```
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "$defs"]);
const KNOWN = new Set([
  "type",
  "const",
  "enum",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "$ref",
  "oneOf",
  "minimum",
]);

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
  }
  throw new Error(`unsupported type ${t}`);
}

/** Validates `value` against `schema` (root schema `root` for `$ref`); returns error messages. */
export function validate(
  schema: Schema,
  value: unknown,
  root: Schema = schema,
  at = "$",
): string[] {
  for (const k of Object.keys(schema)) {
    if (!KNOWN.has(k) && !ANNOTATIONS.has(k)) throw new Error(`unsupported keyword ${k}`);
  }
  const errs: string[] = [];
  if (typeof value === "bigint") return [`${at}: BigInt is not JSON`];
  if (schema.$ref !== undefined) {
    const ref = String(schema.$ref);
    if (!ref.startsWith("#/$defs/")) throw new Error(`unsupported $ref ${ref}`);
    const target = (root.$defs as Record<string, Schema>)[ref.slice("#/$defs/".length)];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    errs.push(...validate(target, value, root, at));
  }
  if (schema.type !== undefined && !typeOk(String(schema.type), value)) {
    return [...errs, `${at}: expected ${schema.type}`];
  }
  if ("const" in schema && value !== schema.const) errs.push(`${at}: expected ${schema.const}`);
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) {
    errs.push(`${at}: not in enum`);
  }
  if (schema.minimum !== undefined && typeof value === "number" && value < Number(schema.minimum)) {
    errs.push(`${at}: below minimum`);
  }
  if (schema.oneOf !== undefined) {
    const ok = (schema.oneOf as Schema[]).filter((s) => validate(s, value, root, at).length === 0);
    if (ok.length !== 1) errs.push(`${at}: matches ${ok.length} of oneOf`);
  }
  if (typeOk("object", value)) {
    const o = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) {
      if (!(r in o)) errs.push(`${at}: missing ${r}`);
    }
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(o)) {
      if (k in props) errs.push(...validate(props[k], v, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${at}: unexpected ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((v, i) => errs.push(...validate(schema.items as Schema, v, root, `${at}[${i}]`)));
  }
  return errs;
}
