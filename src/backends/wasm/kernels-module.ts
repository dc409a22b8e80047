import { decodeBase64 } from "../../snapshot/float64-base64.js";
import { KERNELS_MODULE, MEMORY_FLAGS_AT } from "./kernels-binary.js";

/** A memory's limits flags in a module's binary: it has a maximum, and (0x02) it is shared. */
const HAS_MAXIMUM = 0x01;
const SHARED = 0x02;

/**
 * The kernels' binary, importing a shared memory (for threads) or a plain one; both of at most 65536
 * pages, so a plain memory is created with that maximum. One binary ships: the two differ in one
 * byte, the memory's limits flags.
 */
export function kernelsModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const bytes = decodeBase64(KERNELS_MODULE) as Uint8Array<ArrayBuffer>;
  bytes[MEMORY_FLAGS_AT] = shared ? HAS_MAXIMUM | SHARED : HAS_MAXIMUM;
  return bytes;
}

/** The largest number of 64 KiB pages the kernels' memory may have (the binary declares it). */
export const KERNELS_MAXIMUM_PAGES = 65536;
