/**
 * CRC-64-AVRO, the Rabin fingerprint of the Avro specification ("Schema Fingerprints"), used to
 * name a writer schema in single-object encoding. avsc's `fingerprint()` defaults to MD5, hence our own.
 * Runs only at module load (a few schemas), so BigInt's cost does not matter.
 */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK);
    table.push(fp);
  }
  return table;
})();

/**
 * CRC-64-AVRO fingerprint of `text` (normally a schema's Parsing Canonical Form), UTF-8 encoded.
 *
 * @returns the fingerprint as an unsigned 64-bit integer.
 * @example
 * crc64Avro('"int"'); // 0x7275d51a3f395c8fn (the Avro spec's test vector 8247732601305521295)
 */
export function crc64Avro(text: string): bigint {
  let fp = EMPTY;
  for (const byte of new TextEncoder().encode(text)) {
    fp = (fp >> 8n) ^ (TABLE[Number((fp ^ BigInt(byte)) & 0xffn)] as bigint);
  }
  return fp;
}

/** The 8 fingerprint bytes in single-object order (little-endian). */
export function fingerprintBytes(fp: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((fp >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** The fingerprint as 16 lower-case hex digits, most significant first (as the Avro spec prints it). */
export function fingerprintHex(fp: bigint): string {
  return fp.toString(16).padStart(16, '0');
}
