// Buffers are stored as the base64 of their IEEE-754 bytes, little-endian: unlike decimal JSON this
// keeps -0, ±Infinity and NaN payloads, so a restored optimizer continues bit for bit.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const littleEndian = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;

function bytesOf(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  if (littleEndian) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  }
  return bytes;
}

/** Encodes a Float64Array as base64 of its little-endian bytes. */
export function encodeFloat64(values: Float64Array): string {
  const bytes = bytesOf(values);
  const chunks: string[] = [];
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    codes.push(
      ALPHABET.charCodeAt(a >> 2),
      ALPHABET.charCodeAt(((a & 3) << 4) | (b >> 4)),
      i + 1 < bytes.length ? ALPHABET.charCodeAt(((b & 15) << 2) | (c >> 6)) : 61,
      i + 2 < bytes.length ? ALPHABET.charCodeAt(c & 63) : 61,
    );
    if (codes.length >= 8192) chunks.push(String.fromCharCode(...codes.splice(0)));
  }
  chunks.push(String.fromCharCode(...codes));
  return chunks.join("");
}

/**
 * Decodes what {@link encodeFloat64} wrote. Returns `undefined` for anything that is not canonical
 * base64 of a whole number of doubles, so the caller can name the offending field.
 */
export function decodeFloat64(text: string): Float64Array | undefined {
  const bytes = decodeBase64(text);
  if (bytes === undefined || bytes.length % 8 !== 0) return undefined;
  const values = new Float64Array(bytes.length / 8);
  if (littleEndian) {
    new Uint8Array(values.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  }
  return values;
}

/** Decodes base64 to bytes (no Buffer or atob: the same code in Node and browsers); `undefined` if malformed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const byteLength = (text.length / 4) * 3 - padding;
  const bytes = new Uint8Array(byteLength);
  let j = 0;
  for (let i = 0; i < text.length; i += 4) {
    const s0 = sextet(text, i);
    const s1 = sextet(text, i + 1);
    const last = i + 4 === text.length;
    const s2 = last && padding === 2 ? 0 : sextet(text, i + 2);
    const s3 = last && padding >= 1 ? 0 : sextet(text, i + 3);
    if ((s0 | s1 | s2 | s3) < 0) return undefined;
    const triple = (s0 << 18) | (s1 << 12) | (s2 << 6) | s3;
    if (j < byteLength) bytes[j++] = triple >> 16;
    if (j < byteLength) bytes[j++] = (triple >> 8) & 255;
    if (j < byteLength) bytes[j++] = triple & 255;
  }
  return bytes;
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? DECODE[code] : -1;
}
