import { createHash } from 'node:crypto';

/** An open shard and the 128-bit hash keys it owns, bounds included. */
export interface ShardRange {
  shardId: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
}

/**
 * The 128-bit hash key Kinesis routes a record by: `ExplicitHashKey` when given, otherwise the MD5 of
 * the UTF-8 partition key read as a big-endian unsigned integer.
 *
 * @throws SyntaxError when `explicitHashKey` is not a decimal integer.
 */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The open shard owning `hashKey`, or `undefined` when none does (the stream is being resharded). */
export function shardOwning(hashKey: bigint, shards: readonly ShardRange[]): ShardRange | undefined {
  return shards.find((shard) => hashKey >= shard.startingHashKey && hashKey <= shard.endingHashKey);
}

/**
 * The open shards listed in a ListShards answer: those without an ending sequence number.
 * Closed parents of a reshard own no new records.
 */
export function openShardsOf(listShards: unknown): ShardRange[] {
  const shards = (listShards as { Shards?: unknown } | undefined)?.Shards;
  if (!Array.isArray(shards)) return [];
  const open: ShardRange[] = [];
  for (const shard of shards as {
    ShardId?: string;
    HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string };
    SequenceNumberRange?: { EndingSequenceNumber?: string };
  }[]) {
    const range = shard.HashKeyRange;
    if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
    if (
      shard.ShardId === undefined ||
      range?.StartingHashKey === undefined ||
      range.EndingHashKey === undefined
    )
      continue;
    open.push({
      shardId: shard.ShardId,
      startingHashKey: BigInt(range.StartingHashKey),
      endingHashKey: BigInt(range.EndingHashKey),
    });
  }
  return open;
}
