/** A DynamoDB item or key in wire form: attribute name to typed value such as `{ "S": "a" }`. */
export type WireItem = Record<string, unknown>;

/**
 * The primary key of the item a single-item write targets: `Key` of UpdateItem/DeleteItem, or the key
 * attributes picked from `Item` of PutItem.
 *
 * @param operation - `PutItem`, `UpdateItem` or `DeleteItem`.
 * @param request - The parsed request body.
 * @param keyNames - Names of the table's key attributes (partition key, then sort key if any).
 * @returns The key, or `undefined` when the request does not hold every key attribute.
 */
export function targetKey(
  operation: string,
  request: Record<string, unknown>,
  keyNames: readonly string[],
): WireItem | undefined {
  const source = operation === 'PutItem' ? request.Item : request.Key;
  if (typeof source !== 'object' || source === null) return undefined;
  const key: WireItem = {};
  for (const name of keyNames) {
    const value = (source as WireItem)[name];
    if (value === undefined) return undefined;
    key[name] = value;
  }
  return key;
}

/**
 * Names of a table's key attributes, from a DescribeTable answer.
 * @returns The names, or `undefined` when the answer has no key schema.
 */
export function keyNamesOf(describeTable: unknown): string[] | undefined {
  const schema = (describeTable as { Table?: { KeySchema?: { AttributeName?: unknown }[] } } | null)?.Table
    ?.KeySchema;
  if (!Array.isArray(schema)) return undefined;
  const names = schema.map((element) => element.AttributeName);
  return names.every((name): name is string => typeof name === 'string') ? names : undefined;
}
