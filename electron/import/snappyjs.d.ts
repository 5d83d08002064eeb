// snappyjs@0.7 (pure JS, no types of its own): raw snappy blocks, not the framed format.
// The output has the input's type (Buffer in, Buffer out). `uncompress` throws when the header's
// length exceeds maxLength, but it does not notice a block that ends early or copies from outside
// what it has written (it leaves zeros): snappy.ts checks the block before handing it over.
declare module 'snappyjs' {
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T
}
