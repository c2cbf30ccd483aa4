// The one font every chart is drawn with: Noto Sans SC (Latin and CJK) from a registry package, loaded
// explicitly, never from the system. Handing resvg the whole 10 MB font makes it parse the font again for every
// text it lays out (~10 ms a label); so each chart gets a subset holding only the characters it draws (HarfBuzz's
// hb-subset, compiled to WebAssembly), a few KB, cached by character set.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const FONT_FILE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const HB_SUBSET_WASM = require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');

/** Always in a subset: printable ASCII, so digits and Latin labels never miss a glyph. */
const ALWAYS = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');

// hb-subset constants (hb-subset.h).
const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;

function tag(s: string): number {
  return [...s].reduce((a, c) => (a << 8) + c.charCodeAt(0), 0) >>> 0;
}

interface Hb {
  memory: { buffer: ArrayBuffer };
  malloc(n: number): number;
  free(p: number): void;
  _initialize?: () => void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
  hb_set_add(set: number, codepoint: number): void;
}

// WebAssembly is a Node global; its types come with the DOM lib, which this project does not load.
const Wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object, imports: object) => { exports: unknown } } }).WebAssembly;

let hb: { exports: Hb; face: number } | undefined;

/** Instantiates hb-subset and loads the full font into its memory once (the face stays for the process). */
function subsetter(): { exports: Hb; face: number } {
  if (hb) return hb;
  const exports = new Wasm.Instance(new Wasm.Module(readFileSync(HB_SUBSET_WASM)), {}).exports as unknown as Hb;
  exports._initialize?.();
  const font = readFileSync(FONT_FILE);
  const ptr = exports.malloc(font.byteLength);
  new Uint8Array(exports.memory.buffer).set(font, ptr);
  const blob = exports.hb_blob_create(ptr, font.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
  const face = exports.hb_face_create(blob, 0);
  exports.hb_blob_destroy(blob);
  hb = { exports, face };
  return hb;
}

/** A TrueType subset of the font with (at least) the characters of `text`. */
export function subsetFont(text: string): Buffer {
  const { exports: x, face } = subsetter();
  const input = x.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('hb_subset_input_create_or_fail failed');
  try {
    const unicodes = x.hb_subset_input_unicode_set(input);
    for (const ch of new Set(ALWAYS + text)) x.hb_set_add(unicodes, ch.codePointAt(0)!);
    // resvg neither hints nor needs the layout closure for CJK/Latin labels; dropping both keeps it fast.
    x.hb_subset_input_set_flags(input, x.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE);
    const drop = x.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const t of ['GSUB', 'GPOS', 'GDEF', 'vhea', 'vmtx', 'VORG']) x.hb_set_add(drop, tag(t));
    const sub = x.hb_subset_or_fail(face, input);
    if (sub === 0) throw new Error('hb_subset_or_fail failed');
    const blob = x.hb_face_reference_blob(sub);
    try {
      const ptr = x.hb_blob_get_data(blob, 0);
      const length = x.hb_blob_get_length(blob);
      if (length === 0) throw new Error('empty font subset');
      return Buffer.from(new Uint8Array(x.memory.buffer, ptr, length));
    } finally {
      x.hb_blob_destroy(blob);
      x.hb_face_destroy(sub);
    }
  } finally {
    x.hb_subset_input_destroy(input);
  }
}

// ------------------------------------------------------------------------------------------ cache

const MAX_CACHED = 32;
const cached = new Map<string, Buffer>();

/** A font with every character of `text` (only the distinct characters matter), cached by character set. */
export function fontFor(text: string): Buffer {
  const chars = [...new Set(text)].sort().join('');
  const hit = cached.get(chars);
  if (hit) {
    cached.delete(chars);
    cached.set(chars, hit);
    return hit;
  }
  const font = subsetFont(chars);
  cached.set(chars, font);
  if (cached.size > MAX_CACHED) cached.delete(cached.keys().next().value as string);
  return font;
}
