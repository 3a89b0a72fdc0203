/*
 * Resumable SHA-1 for Hoist's whole-file digest.
 *
 * Why this exists: Box's commit needs the SHA-1 of the whole file, and Hoist must be able to
 * persist that hash's running state so a restarted upload does not re-read what it already
 * hashed (DESIGN.md section 3). Node's crypto cannot export a hash's internal state, and a
 * WebAssembly SHA-1 runs at about 40% of OpenSSL's SHA-NI speed, which breaks the CPU budget
 * of the upload pipeline. This addon keeps the state in a caller-owned 92-byte buffer with a
 * fixed layout, so saving the state is a copy and the TypeScript fallback
 * (electron/engine/sha1/sha1-portable.ts) reads and writes the very same layout:
 *
 *   bytes  0..19  h0..h4, uint32 little-endian
 *   bytes 20..27  message length so far in bytes, uint64 little-endian
 *   bytes 28..91  pending partial block (length % 64 bytes are meaningful)
 *
 * It is N-API only, so one build loads in Node and in Electron alike.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#define HOIST_X86 1
#include <immintrin.h>
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

#define STATE_BYTES 92
#define LENGTH_AT 20
#define PENDING_AT 28

typedef void (*compress_fn)(uint32_t h[5], const uint8_t *data, size_t blocks);

static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static uint32_t load_le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void store_le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static uint64_t load_le64(const uint8_t *p) {
  return (uint64_t)load_le32(p) | ((uint64_t)load_le32(p + 4) << 32);
}

static void store_le64(uint8_t *p, uint64_t v) {
  store_le32(p, (uint32_t)v);
  store_le32(p + 4, (uint32_t)(v >> 32));
}

static void compress_portable(uint32_t h[5], const uint8_t *data, size_t blocks) {
  uint32_t w[80];
  for (; blocks > 0; blocks--, data += 64) {
    for (int i = 0; i < 16; i++) w[i] = load_be32(data + 4 * i);
    for (int i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999u; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1u; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDCu; }
      else { f = b ^ c ^ d; k = 0xCA62C1D6u; }
      uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rotl(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
}

#ifdef HOIST_X86
/* Intel SHA extensions. The round schedule follows Intel's published reference
 * ("Intel SHA Extensions", Gulley et al., 2013): 20 groups of 4 rounds, message words
 * expanded with sha1msg1/sha1msg2 four groups ahead of use. */
/* Four rounds of Intel's schedule once the message words are loaded: E_USE carries e into this
 * group and E_NEXT takes ABCD for the next one, while the words of later groups are expanded
 * (sha1msg2 finishes M_MSG2, sha1msg1 starts M_MSG1, M_XOR gets its middle term). K selects the
 * round function: 0 for rounds 0-19, 1 for 20-39, 2 for 40-59, 3 for 60-79. */
#define SHA1_ROUNDS4(E_USE, E_NEXT, M, M_MSG2, M_MSG1, M_XOR, K) \
  E_USE = _mm_sha1nexte_epu32(E_USE, M);                        \
  E_NEXT = ABCD;                                                \
  M_MSG2 = _mm_sha1msg2_epu32(M_MSG2, M);                       \
  ABCD = _mm_sha1rnds4_epu32(ABCD, E_USE, K);                   \
  M_MSG1 = _mm_sha1msg1_epu32(M_MSG1, M);                       \
  M_XOR = _mm_xor_si128(M_XOR, M)

/* The same four rounds for two states (prefixes A and B) sharing one message schedule. */
#define SHA1_ROUNDS4_X2(E_USE, E_NEXT, M, M_MSG2, M_MSG1, M_XOR, K) \
  A##E_USE = _mm_sha1nexte_epu32(A##E_USE, M);                     \
  B##E_USE = _mm_sha1nexte_epu32(B##E_USE, M);                     \
  A##E_NEXT = AABCD;                                               \
  B##E_NEXT = BABCD;                                               \
  M_MSG2 = _mm_sha1msg2_epu32(M_MSG2, M);                          \
  AABCD = _mm_sha1rnds4_epu32(AABCD, A##E_USE, K);                 \
  BABCD = _mm_sha1rnds4_epu32(BABCD, B##E_USE, K);                 \
  M_MSG1 = _mm_sha1msg1_epu32(M_MSG1, M);                          \
  M_XOR = _mm_xor_si128(M_XOR, M)

#if !defined(_MSC_VER)
__attribute__((target("sha,ssse3,sse4.1")))
#endif
static void compress_shani(uint32_t h[5], const uint8_t *block, size_t blocks) {
  const __m128i MASK = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i ABCD = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1B);
  __m128i E0 = _mm_set_epi32((int)h[4], 0, 0, 0);
  __m128i E1, MSG0, MSG1, MSG2, MSG3;
  for (; blocks > 0; blocks--, block += 64) {
    const __m128i ABCD_SAVE = ABCD;
    const __m128i E0_SAVE = E0;
    /* rounds 0-3 */
    MSG0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 0)), MASK);
    E0 = _mm_add_epi32(E0, MSG0);
    E1 = ABCD;
    ABCD = _mm_sha1rnds4_epu32(ABCD, E0, 0);
    /* rounds 4-7 */
    MSG1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16)), MASK);
    E1 = _mm_sha1nexte_epu32(E1, MSG1);
    E0 = ABCD;
    ABCD = _mm_sha1rnds4_epu32(ABCD, E1, 0);
    MSG0 = _mm_sha1msg1_epu32(MSG0, MSG1);
    /* rounds 8-11 */
    MSG2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 32)), MASK);
    E0 = _mm_sha1nexte_epu32(E0, MSG2);
    E1 = ABCD;
    ABCD = _mm_sha1rnds4_epu32(ABCD, E0, 0);
    MSG1 = _mm_sha1msg1_epu32(MSG1, MSG2);
    MSG0 = _mm_xor_si128(MSG0, MSG2);
    /* rounds 12-15 */
    MSG3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 48)), MASK);
    SHA1_ROUNDS4(E1, E0, MSG3, MSG0, MSG2, MSG1, 0); /* rounds 12-15 */
    SHA1_ROUNDS4(E0, E1, MSG0, MSG1, MSG3, MSG2, 0); /* rounds 16-19 */
    SHA1_ROUNDS4(E1, E0, MSG1, MSG2, MSG0, MSG3, 1); /* rounds 20-23 */
    SHA1_ROUNDS4(E0, E1, MSG2, MSG3, MSG1, MSG0, 1); /* rounds 24-27 */
    SHA1_ROUNDS4(E1, E0, MSG3, MSG0, MSG2, MSG1, 1); /* rounds 28-31 */
    SHA1_ROUNDS4(E0, E1, MSG0, MSG1, MSG3, MSG2, 1); /* rounds 32-35 */
    SHA1_ROUNDS4(E1, E0, MSG1, MSG2, MSG0, MSG3, 1); /* rounds 36-39 */
    SHA1_ROUNDS4(E0, E1, MSG2, MSG3, MSG1, MSG0, 2); /* rounds 40-43 */
    SHA1_ROUNDS4(E1, E0, MSG3, MSG0, MSG2, MSG1, 2); /* rounds 44-47 */
    SHA1_ROUNDS4(E0, E1, MSG0, MSG1, MSG3, MSG2, 2); /* rounds 48-51 */
    SHA1_ROUNDS4(E1, E0, MSG1, MSG2, MSG0, MSG3, 2); /* rounds 52-55 */
    SHA1_ROUNDS4(E0, E1, MSG2, MSG3, MSG1, MSG0, 2); /* rounds 56-59 */
    SHA1_ROUNDS4(E1, E0, MSG3, MSG0, MSG2, MSG1, 3); /* rounds 60-63 */
    SHA1_ROUNDS4(E0, E1, MSG0, MSG1, MSG3, MSG2, 3); /* rounds 64-67 */
    /* rounds 68-71 */
    E1 = _mm_sha1nexte_epu32(E1, MSG1);
    E0 = ABCD;
    MSG2 = _mm_sha1msg2_epu32(MSG2, MSG1);
    ABCD = _mm_sha1rnds4_epu32(ABCD, E1, 3);
    MSG3 = _mm_xor_si128(MSG3, MSG1);
    /* rounds 72-75 */
    E0 = _mm_sha1nexte_epu32(E0, MSG2);
    E1 = ABCD;
    MSG3 = _mm_sha1msg2_epu32(MSG3, MSG2);
    ABCD = _mm_sha1rnds4_epu32(ABCD, E0, 3);
    /* rounds 76-79 */
    E1 = _mm_sha1nexte_epu32(E1, MSG3);
    E0 = ABCD;
    ABCD = _mm_sha1rnds4_epu32(ABCD, E1, 3);
    E0 = _mm_sha1nexte_epu32(E0, E0_SAVE);
    ABCD = _mm_add_epi32(ABCD, ABCD_SAVE);
  }
  ABCD = _mm_shuffle_epi32(ABCD, 0x1B);
  _mm_storeu_si128((__m128i *)h, ABCD);
  h[4] = (uint32_t)_mm_extract_epi32(E0, 3);
}


/* Two SHA-1 states over the same bytes (a part's digest and the whole-file digest): the message
 * schedule depends only on the data, so it is computed once, and the two state chains run
 * interleaved, which keeps the SHA units busy while each chain waits on its own latency. */
#if !defined(_MSC_VER)
__attribute__((target("sha,ssse3,sse4.1")))
#endif
static void compress2_shani(uint32_t ha[5], uint32_t hb[5], const uint8_t *block, size_t blocks) {
  const __m128i MASK = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
  __m128i AABCD = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)ha), 0x1B);
  __m128i BABCD = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)hb), 0x1B);
  __m128i AE0 = _mm_set_epi32((int)ha[4], 0, 0, 0), BE0 = _mm_set_epi32((int)hb[4], 0, 0, 0);
  __m128i AE1, BE1, MSG0, MSG1, MSG2, MSG3;
  for (; blocks > 0; blocks--, block += 64) {
    const __m128i AABCD_SAVE = AABCD, BABCD_SAVE = BABCD, AE0_SAVE = AE0, BE0_SAVE = BE0;
    /* rounds 0-3: one message schedule, two states */
    MSG0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 0)), MASK);
    AE0 = _mm_add_epi32(AE0, MSG0);
    BE0 = _mm_add_epi32(BE0, MSG0);
    AE1 = AABCD;
    BE1 = BABCD;
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE0, 0);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE0, 0);
    /* rounds 4-7: one message schedule, two states */
    MSG1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16)), MASK);
    AE1 = _mm_sha1nexte_epu32(AE1, MSG1);
    BE1 = _mm_sha1nexte_epu32(BE1, MSG1);
    AE0 = AABCD;
    BE0 = BABCD;
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE1, 0);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE1, 0);
    MSG0 = _mm_sha1msg1_epu32(MSG0, MSG1);
    /* rounds 8-11: one message schedule, two states */
    MSG2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 32)), MASK);
    AE0 = _mm_sha1nexte_epu32(AE0, MSG2);
    BE0 = _mm_sha1nexte_epu32(BE0, MSG2);
    AE1 = AABCD;
    BE1 = BABCD;
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE0, 0);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE0, 0);
    MSG1 = _mm_sha1msg1_epu32(MSG1, MSG2);
    MSG0 = _mm_xor_si128(MSG0, MSG2);
    /* rounds 12-15: one message schedule, two states */
    MSG3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 48)), MASK);
    SHA1_ROUNDS4_X2(E1, E0, MSG3, MSG0, MSG2, MSG1, 0); /* rounds 12-15 */
    SHA1_ROUNDS4_X2(E0, E1, MSG0, MSG1, MSG3, MSG2, 0); /* rounds 16-19 */
    SHA1_ROUNDS4_X2(E1, E0, MSG1, MSG2, MSG0, MSG3, 1); /* rounds 20-23 */
    SHA1_ROUNDS4_X2(E0, E1, MSG2, MSG3, MSG1, MSG0, 1); /* rounds 24-27 */
    SHA1_ROUNDS4_X2(E1, E0, MSG3, MSG0, MSG2, MSG1, 1); /* rounds 28-31 */
    SHA1_ROUNDS4_X2(E0, E1, MSG0, MSG1, MSG3, MSG2, 1); /* rounds 32-35 */
    SHA1_ROUNDS4_X2(E1, E0, MSG1, MSG2, MSG0, MSG3, 1); /* rounds 36-39 */
    SHA1_ROUNDS4_X2(E0, E1, MSG2, MSG3, MSG1, MSG0, 2); /* rounds 40-43 */
    SHA1_ROUNDS4_X2(E1, E0, MSG3, MSG0, MSG2, MSG1, 2); /* rounds 44-47 */
    SHA1_ROUNDS4_X2(E0, E1, MSG0, MSG1, MSG3, MSG2, 2); /* rounds 48-51 */
    SHA1_ROUNDS4_X2(E1, E0, MSG1, MSG2, MSG0, MSG3, 2); /* rounds 52-55 */
    SHA1_ROUNDS4_X2(E0, E1, MSG2, MSG3, MSG1, MSG0, 2); /* rounds 56-59 */
    SHA1_ROUNDS4_X2(E1, E0, MSG3, MSG0, MSG2, MSG1, 3); /* rounds 60-63 */
    SHA1_ROUNDS4_X2(E0, E1, MSG0, MSG1, MSG3, MSG2, 3); /* rounds 64-67 */
    /* rounds 68-71: one message schedule, two states */
    AE1 = _mm_sha1nexte_epu32(AE1, MSG1);
    BE1 = _mm_sha1nexte_epu32(BE1, MSG1);
    AE0 = AABCD;
    BE0 = BABCD;
    MSG2 = _mm_sha1msg2_epu32(MSG2, MSG1);
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE1, 3);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE1, 3);
    MSG3 = _mm_xor_si128(MSG3, MSG1);
    /* rounds 72-75: one message schedule, two states */
    AE0 = _mm_sha1nexte_epu32(AE0, MSG2);
    BE0 = _mm_sha1nexte_epu32(BE0, MSG2);
    AE1 = AABCD;
    BE1 = BABCD;
    MSG3 = _mm_sha1msg2_epu32(MSG3, MSG2);
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE0, 3);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE0, 3);
    /* rounds 76-79: one message schedule, two states */
    AE1 = _mm_sha1nexte_epu32(AE1, MSG3);
    BE1 = _mm_sha1nexte_epu32(BE1, MSG3);
    AE0 = AABCD;
    BE0 = BABCD;
    AABCD = _mm_sha1rnds4_epu32(AABCD, AE1, 3);
    BABCD = _mm_sha1rnds4_epu32(BABCD, BE1, 3);

    AE0 = _mm_sha1nexte_epu32(AE0, AE0_SAVE);
    BE0 = _mm_sha1nexte_epu32(BE0, BE0_SAVE);
    AABCD = _mm_add_epi32(AABCD, AABCD_SAVE);
    BABCD = _mm_add_epi32(BABCD, BABCD_SAVE);
  }
  AABCD = _mm_shuffle_epi32(AABCD, 0x1B);
  BABCD = _mm_shuffle_epi32(BABCD, 0x1B);
  _mm_storeu_si128((__m128i *)ha, AABCD);
  _mm_storeu_si128((__m128i *)hb, BABCD);
  ha[4] = (uint32_t)_mm_extract_epi32(AE0, 3);
  hb[4] = (uint32_t)_mm_extract_epi32(BE0, 3);
}

static int cpu_has_sha_extensions(void) {
#if defined(_MSC_VER)
  int info[4];
  __cpuid(info, 1);
  const int ssse3 = (info[2] >> 9) & 1, sse41 = (info[2] >> 19) & 1;
  __cpuidex(info, 7, 0);
  return ssse3 && sse41 && ((info[1] >> 29) & 1);
#else
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return ssse3 && sse41 && ((b >> 29) & 1);
#endif
}
#endif

static compress_fn compress = compress_portable;
static int fused_available = 0;
static const char *implementation = "portable";

static void load_h(const uint8_t *state, uint32_t h[5]) {
  for (int i = 0; i < 5; i++) h[i] = load_le32(state + 4 * i);
}

static void store_h(uint8_t *state, const uint32_t h[5]) {
  for (int i = 0; i < 5; i++) store_le32(state + 4 * i, h[i]);
}

static void sha1_update(uint8_t *state, const uint8_t *data, size_t length) {
  uint32_t h[5];
  load_h(state, h);
  uint64_t total = load_le64(state + LENGTH_AT);
  uint8_t *pending = state + PENDING_AT;
  size_t pendingBytes = (size_t)(total % 64);
  if (pendingBytes > 0) {
    size_t take = 64 - pendingBytes;
    if (take > length) take = length;
    memcpy(pending + pendingBytes, data, take);
    data += take;
    length -= take;
    total += take;
    if (pendingBytes + take == 64) compress(h, pending, 1);
  }
  size_t blocks = length / 64;
  if (blocks > 0) {
    compress(h, data, blocks);
    data += blocks * 64;
    length -= blocks * 64;
    total += (uint64_t)blocks * 64;
  }
  if (length > 0) {
    memcpy(pending, data, length);
    total += length;
  }
  store_h(state, h);
  store_le64(state + LENGTH_AT, total);
}

/* Feeds the same bytes to two states that are at the same offset within a 64-byte block. */
static void sha1_update2(uint8_t *stateA, uint8_t *stateB, const uint8_t *data, size_t length) {
  uint32_t ha[5], hb[5];
  load_h(stateA, ha);
  load_h(stateB, hb);
  uint64_t totalA = load_le64(stateA + LENGTH_AT), totalB = load_le64(stateB + LENGTH_AT);
  uint8_t *pendingA = stateA + PENDING_AT, *pendingB = stateB + PENDING_AT;
  size_t pendingBytes = (size_t)(totalA % 64);
  if (pendingBytes > 0) {
    size_t take = 64 - pendingBytes;
    if (take > length) take = length;
    memcpy(pendingA + pendingBytes, data, take);
    memcpy(pendingB + pendingBytes, data, take);
    data += take;
    length -= take;
    totalA += take;
    totalB += take;
    if (pendingBytes + take == 64) {
      compress(ha, pendingA, 1);
      compress(hb, pendingB, 1);
    }
  }
  size_t blocks = length / 64;
  if (blocks > 0) {
#ifdef HOIST_X86
    if (fused_available) compress2_shani(ha, hb, data, blocks);
    else
#endif
    {
      compress(ha, data, blocks);
      compress(hb, data, blocks);
    }
    data += blocks * 64;
    length -= blocks * 64;
    totalA += (uint64_t)blocks * 64;
    totalB += (uint64_t)blocks * 64;
  }
  if (length > 0) {
    memcpy(pendingA, data, length);
    memcpy(pendingB, data, length);
    totalA += length;
    totalB += length;
  }
  store_h(stateA, ha);
  store_h(stateB, hb);
  store_le64(stateA + LENGTH_AT, totalA);
  store_le64(stateB + LENGTH_AT, totalB);
}

static void sha1_digest(const uint8_t *state, uint8_t out[20]) {
  uint32_t h[5];
  uint8_t block[128];
  load_h(state, h);
  const uint64_t total = load_le64(state + LENGTH_AT);
  const size_t pendingBytes = (size_t)(total % 64);
  const size_t padded = pendingBytes < 56 ? 64 : 128;
  memset(block, 0, sizeof block);
  memcpy(block, state + PENDING_AT, pendingBytes);
  block[pendingBytes] = 0x80;
  const uint64_t bits = total * 8;
  for (int i = 0; i < 8; i++) block[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
  compress(h, block, padded / 64);
  for (int i = 0; i < 5; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8);
    out[4 * i + 3] = (uint8_t)h[i];
  }
}

static int read_bytes(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  bool isTypedArray = false;
  napi_is_typedarray(env, value, &isTypedArray);
  if (!isTypedArray) return 0;
  napi_typedarray_type type;
  napi_value arrayBuffer;
  size_t byteOffset;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &arrayBuffer, &byteOffset) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  *data = (uint8_t *)raw;
  return 1;
}

static int read_state(napi_env env, napi_value value, uint8_t **state) {
  size_t length = 0;
  if (!read_bytes(env, value, state, &length) || length != STATE_BYTES) {
    napi_throw_type_error(env, NULL, "SHA-1 state must be a Uint8Array of 92 bytes");
    return 0;
  }
  return 1;
}

static napi_value js_update(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *state, *data;
  size_t length;
  if (argc < 2 || !read_state(env, argv[0], &state)) return NULL;
  if (!read_bytes(env, argv[1], &data, &length)) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  sha1_update(state, data, length);
  return NULL;
}

static napi_value js_update2(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *stateA, *stateB, *data;
  size_t length;
  if (argc < 3 || !read_state(env, argv[0], &stateA) || !read_state(env, argv[1], &stateB)) return NULL;
  if (!read_bytes(env, argv[2], &data, &length)) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  if (load_le64(stateA + LENGTH_AT) % 64 != load_le64(stateB + LENGTH_AT) % 64) {
    napi_throw_range_error(env, NULL, "the two SHA-1 states are not at the same offset within a block");
    return NULL;
  }
  sha1_update2(stateA, stateB, data, length);
  return NULL;
}

static napi_value js_digest(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *state;
  if (argc < 1 || !read_state(env, argv[0], &state)) return NULL;
  void *out;
  napi_value result;
  napi_create_buffer(env, 20, &out, &result);
  sha1_digest(state, (uint8_t *)out);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
#ifdef HOIST_X86
  if (cpu_has_sha_extensions()) {
    compress = compress_shani;
    fused_available = 1;
    implementation = "sha-ni";
  }
#endif
  napi_value fn, name;
  napi_create_function(env, "update", NAPI_AUTO_LENGTH, js_update, NULL, &fn);
  napi_set_named_property(env, exports, "update", fn);
  napi_create_function(env, "update2", NAPI_AUTO_LENGTH, js_update2, NULL, &fn);
  napi_set_named_property(env, exports, "update2", fn);
  napi_create_function(env, "digest", NAPI_AUTO_LENGTH, js_digest, NULL, &fn);
  napi_set_named_property(env, exports, "digest", fn);
  napi_create_string_utf8(env, implementation, NAPI_AUTO_LENGTH, &name);
  napi_set_named_property(env, exports, "implementation", name);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
