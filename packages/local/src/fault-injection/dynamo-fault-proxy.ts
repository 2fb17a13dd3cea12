import { FaultProxy, type FaultProxyOptions, type ProxiedRequest } from './fault-proxy.js';
import { type HttpAnswer, type JsonErrorStyle, jsonError, parseObject, withBody } from './http-exchange.js';
import { keyNamesOf, targetKey, type WireItem } from './item-key.js';

/** How DynamoDB (JSON 1.0) shapes errors: a versioned `__type` and a CRC32 of every body. */
const DYNAMODB_STYLE: JsonErrorStyle = {
  contentType: 'application/x-amz-json-1.0',
  typePrefix: 'com.amazonaws.dynamodb.v20120810#',
  crc32: true,
};

/** Operations that read or write items; AWS throttles these with ProvisionedThroughputExceededException. */
const DATA_PLANE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchGetItem',
  'BatchWriteItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

const SINGLE_ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** Options of {@link DynamoFaultProxy}: those of every fault proxy; `upstream` is dynalite's endpoint. */
export type DynamoFaultProxyOptions = FaultProxyOptions;

/**
 * A DynamoDB endpoint on loopback, in front of dynalite (or DynamoDB Local), that behaves more like
 * AWS: it injects throttling (`ProvisionedThroughputExceededException`, or `ThrottlingException` for
 * control-plane operations), 500 `InternalServerError` / 503 `ServiceUnavailable`, connection resets
 * before and after the upstream applied a request, and latency; and it returns the current item as
 * `Item` of a `ConditionalCheckFailedException` when the write asked for
 * `ReturnValuesOnConditionCheckFailure: "ALL_OLD"`, which dynalite does not.
 *
 * The upstream must not check signatures (local servers do not): the proxy reuses the client's
 * signed headers for the DescribeTable and GetItem it sends itself.
 *
 * @example
 * const proxy = new DynamoFaultProxy({ upstream: dynaliteEndpoint, seed: 7, faults: { throttle: 0.1 } });
 * const client = new DynamoDBClient({ endpoint: await proxy.start(), maxAttempts: 1, ... });
 */
export class DynamoFaultProxy extends FaultProxy {
  /** Key attribute names per table, learnt once from DescribeTable. */
  readonly #keyNames = new Map<string, string[]>();

  /** @throws InvalidProxyOptionError when an option is missing or out of range. */
  constructor(options: DynamoFaultProxyOptions) {
    super(options);
  }

  protected override throttleAnswer(operation: string): HttpAnswer {
    return DATA_PLANE.has(operation)
      ? jsonError(
          DYNAMODB_STYLE,
          400,
          'ProvisionedThroughputExceededException',
          'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
        )
      : jsonError(DYNAMODB_STYLE, 400, 'ThrottlingException', 'Rate exceeded');
  }

  protected override serverErrorAnswer(status: 500 | 503): HttpAnswer {
    return status === 500
      ? jsonError(DYNAMODB_STYLE, 500, 'InternalServerError', 'Internal server error')
      : jsonError(DYNAMODB_STYLE, 503, 'ServiceUnavailable', 'Service unavailable');
  }

  protected override async handle(request: ProxiedRequest): Promise<HttpAnswer> {
    const answer = await this.forward(request.path, request.headers, request.body);
    if (!SINGLE_ITEM_WRITES.has(request.operation) || answer.status !== 400) return answer;
    const parsed = parseObject(request.body);
    if (parsed?.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD') return answer;
    const error = parseObject(answer.body);
    if (typeof error?.__type !== 'string' || !error.__type.endsWith('#ConditionalCheckFailedException'))
      return answer;
    if (error.Item !== undefined || typeof parsed.TableName !== 'string') return answer;
    const item = await this.#currentItem(request, parsed.TableName, parsed);
    if (item === undefined) return answer;
    this.count('oldItemReturned', request.operation);
    return withBody(answer, Buffer.from(JSON.stringify({ ...error, Item: item })), true);
  }

  /** Reads the item a failed conditional write targeted, as a consistent read, as AWS returns it. */
  async #currentItem(
    request: ProxiedRequest,
    table: string,
    parsed: Record<string, unknown>,
  ): Promise<WireItem | undefined> {
    let keyNames = this.#keyNames.get(table);
    if (keyNames === undefined) {
      const described = await this.#call(request, 'DescribeTable', { TableName: table });
      keyNames = keyNamesOf(described);
      if (keyNames === undefined) return undefined;
      this.#keyNames.set(table, keyNames);
    }
    const key = targetKey(request.operation, parsed, keyNames);
    if (key === undefined) return undefined;
    const got = await this.#call(request, 'GetItem', { TableName: table, Key: key, ConsistentRead: true });
    const item = (got as { Item?: unknown } | undefined)?.Item;
    return typeof item === 'object' && item !== null ? (item as WireItem) : undefined;
  }

  async #call(like: ProxiedRequest, operation: string, payload: unknown): Promise<unknown> {
    const headers = { ...like.headers, 'x-amz-target': `DynamoDB_20120810.${operation}` };
    const answer = await this.forward(like.path, headers, Buffer.from(JSON.stringify(payload)));
    return answer.status === 200 ? parseObject(answer.body) : undefined;
  }
}
