export { DynamoFaultProxy, type DynamoFaultProxyOptions } from './dynamo-fault-proxy.js';
export {
  InvalidProxyOptionError,
  LocalError,
  type LocalErrorCode,
  ProxyNotListeningError,
} from './errors.js';
export type { FaultCountsSnapshot, InjectedKind } from './fault-counters.js';
export type { FaultOptions } from './fault-plan.js';
export { FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
export { KinesisLimitsProxy, type KinesisLimitsProxyOptions } from './kinesis-limits-proxy.js';
export { type RandomSource, seededRandom } from './random.js';
