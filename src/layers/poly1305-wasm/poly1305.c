/*
 * Poly1305 (RFC 8439, section 2.5) as the tag of ChaCha20-Poly1305 over additional data alone
 * (section 2.8, nothing encrypted): the message is the data, zero padding to 16 bytes, and the
 * two lengths (the data's, then 0) as 64-bit little-endian words. The same tag OpenSSL's
 * chacha20-poly1305 gives for setAAD(data) and no plaintext, computed without a cipher object:
 * src/layers/content-hash.ts uses it for small file bodies. Numbers in radix 2^26, products in
 * 64 bits (WebAssembly has no 128-bit product). Built by scripts/build-poly1305-wasm.sh.
 *
 * A state is 24 words: the clamped r (5 limbs), 5r (5 words, the first unused), s (4 words), the
 * accumulator h (5 limbs), the bytes of an unfinished block (16) and their count.
 */
/* The compiler's own types: no header, so no C library's is needed to build. */
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;

enum { R = 0, R5 = 5, S = 10, H = 14, PART = 19, PART_LENGTH = 23, STATE_WORDS = 24 };

#define MASK 0x3ffffff

/* Where JavaScript puts a state and the bytes to hash: the module's own memory. */
#define SCRATCH_BYTES (64 * 1024)
static u32 state_area[STATE_WORDS];
static unsigned char scratch[SCRATCH_BYTES];

__attribute__((export_name("state"))) u32 *state(void) { return state_area; }
__attribute__((export_name("scratch"))) unsigned char *scratch_area(void) { return scratch; }
__attribute__((export_name("scratchBytes"))) u32 scratch_bytes(void) { return SCRATCH_BYTES; }

static u32 le32(const unsigned char *p) {
  return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void put_le32(unsigned char *p, u32 v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* h = (h + block + 2^128) * r mod 2^130 - 5, for each whole 16-byte block of m. */
static void blocks(u32 *st, const unsigned char *m, u32 length) {
  const u32 r0 = st[R], r1 = st[R + 1], r2 = st[R + 2], r3 = st[R + 3], r4 = st[R + 4];
  const u32 s1 = st[R5 + 1], s2 = st[R5 + 2], s3 = st[R5 + 3], s4 = st[R5 + 4];
  u32 h0 = st[H], h1 = st[H + 1], h2 = st[H + 2], h3 = st[H + 3], h4 = st[H + 4];
  for (; length >= 16; m += 16, length -= 16) {
    h0 += le32(m) & MASK;
    h1 += (le32(m + 3) >> 2) & MASK;
    h2 += (le32(m + 6) >> 4) & MASK;
    h3 += (le32(m + 9) >> 6) & MASK;
    h4 += (le32(m + 12) >> 8) | (1u << 24);
    u64 d0 = (u64)h0 * r0 + (u64)h1 * s4 + (u64)h2 * s3 + (u64)h3 * s2 + (u64)h4 * s1;
    u64 d1 = (u64)h0 * r1 + (u64)h1 * r0 + (u64)h2 * s4 + (u64)h3 * s3 + (u64)h4 * s2;
    u64 d2 = (u64)h0 * r2 + (u64)h1 * r1 + (u64)h2 * r0 + (u64)h3 * s4 + (u64)h4 * s3;
    u64 d3 = (u64)h0 * r3 + (u64)h1 * r2 + (u64)h2 * r1 + (u64)h3 * r0 + (u64)h4 * s4;
    u64 d4 = (u64)h0 * r4 + (u64)h1 * r3 + (u64)h2 * r2 + (u64)h3 * r1 + (u64)h4 * r0;
    u32 c = (u32)(d0 >> 26);
    h0 = (u32)d0 & MASK;
    d1 += c;
    c = (u32)(d1 >> 26);
    h1 = (u32)d1 & MASK;
    d2 += c;
    c = (u32)(d2 >> 26);
    h2 = (u32)d2 & MASK;
    d3 += c;
    c = (u32)(d3 >> 26);
    h3 = (u32)d3 & MASK;
    d4 += c;
    c = (u32)(d4 >> 26);
    h4 = (u32)d4 & MASK;
    h0 += c * 5;
    c = h0 >> 26;
    h0 &= MASK;
    h1 += c;
  }
  st[H] = h0;
  st[H + 1] = h1;
  st[H + 2] = h2;
  st[H + 3] = h3;
  st[H + 4] = h4;
}

/* A fresh state in the state area from the 32-byte one-time key (r, then s) in the scratch area. */
__attribute__((export_name("begin"))) void begin(void) {
  u32 *st = state_area;
  const unsigned char *key = scratch;
  /* r is clamped (RFC 8439, 2.5.1) as it is split into limbs. */
  st[R] = le32(key) & 0x3ffffff;
  st[R + 1] = (le32(key + 3) >> 2) & 0x3ffff03;
  st[R + 2] = (le32(key + 6) >> 4) & 0x3ffc0ff;
  st[R + 3] = (le32(key + 9) >> 6) & 0x3f03fff;
  st[R + 4] = (le32(key + 12) >> 8) & 0x00fffff;
  for (int i = 1; i < 5; i++) st[R5 + i] = st[R + i] * 5;
  st[R5] = 0;
  for (int i = 0; i < 4; i++) st[S + i] = le32(key + 16 + 4 * i);
  for (int i = 0; i < 5; i++) st[H + i] = 0;
  for (int i = 0; i < 4; i++) st[PART + i] = 0;
  st[PART_LENGTH] = 0;
}

/* Takes the first `length` bytes of the scratch area into the state in the state area. */
__attribute__((export_name("update"))) void update(u32 length) {
  u32 *st = state_area;
  unsigned char *part = (unsigned char *)&st[PART];
  const unsigned char *m = scratch;
  u32 held = st[PART_LENGTH];
  if (held > 0) {
    while (held < 16 && length > 0) {
      part[held++] = *m++;
      length--;
    }
    if (held < 16) {
      st[PART_LENGTH] = held;
      return;
    }
    blocks(st, part, 16);
    held = 0;
  }
  u32 whole = length & ~15u;
  blocks(st, m, whole);
  for (u32 i = whole; i < length; i++) part[held++] = m[i];
  st[PART_LENGTH] = held;
}

/*
 * Ends the message: the unfinished block padded with zeros, then the lengths block (`length_low`
 * and `length_high` make the data's 64-bit length). The 16-byte tag goes to the scratch area.
 */
__attribute__((export_name("finish"))) void finish(u32 length_low, u32 length_high) {
  u32 *st = state_area;
  unsigned char *part = (unsigned char *)&st[PART];
  u32 held = st[PART_LENGTH];
  if (held > 0) {
    for (u32 i = held; i < 16; i++) part[i] = 0;
    blocks(st, part, 16);
  }
  unsigned char lengths[16] = {0};
  put_le32(lengths, length_low);
  put_le32(lengths + 4, length_high);
  blocks(st, lengths, 16);

  u32 h0 = st[H], h1 = st[H + 1], h2 = st[H + 2], h3 = st[H + 3], h4 = st[H + 4];
  /* Carry fully, then h mod 2^130 - 5: h, or h + 5 - 2^130 where that is not negative. */
  u32 c = h1 >> 26;
  h1 &= MASK;
  h2 += c;
  c = h2 >> 26;
  h2 &= MASK;
  h3 += c;
  c = h3 >> 26;
  h3 &= MASK;
  h4 += c;
  c = h4 >> 26;
  h4 &= MASK;
  h0 += c * 5;
  c = h0 >> 26;
  h0 &= MASK;
  h1 += c;
  u32 g0 = h0 + 5;
  c = g0 >> 26;
  g0 &= MASK;
  u32 g1 = h1 + c;
  c = g1 >> 26;
  g1 &= MASK;
  u32 g2 = h2 + c;
  c = g2 >> 26;
  g2 &= MASK;
  u32 g3 = h3 + c;
  c = g3 >> 26;
  g3 &= MASK;
  u32 g4 = h4 + c - (1u << 26);
  u32 take_g = (g4 >> 31) - 1; /* all ones where g4 did not go below zero */
  h0 = (h0 & ~take_g) | (g0 & take_g);
  h1 = (h1 & ~take_g) | (g1 & take_g);
  h2 = (h2 & ~take_g) | (g2 & take_g);
  h3 = (h3 & ~take_g) | (g3 & take_g);
  h4 = (h4 & ~take_g) | (g4 & take_g);

  /* (h + s) mod 2^128, as four 32-bit words. */
  u32 w0 = h0 | h1 << 26;
  u32 w1 = h1 >> 6 | h2 << 20;
  u32 w2 = h2 >> 12 | h3 << 14;
  u32 w3 = h3 >> 18 | h4 << 8;
  u64 f = (u64)w0 + st[S];
  put_le32(scratch, (u32)f);
  f = (u64)w1 + st[S + 1] + (f >> 32);
  put_le32(scratch + 4, (u32)f);
  f = (u64)w2 + st[S + 2] + (f >> 32);
  put_le32(scratch + 8, (u32)f);
  f = (u64)w3 + st[S + 3] + (f >> 32);
  put_le32(scratch + 12, (u32)f);
}
