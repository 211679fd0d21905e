// SHA-256 compression with the x86 SHA extensions (SHA-NI): the Swift
// implementation (SHA256.swift) runs at about 240 MB/s, this at several
// GB/s, and the toolkit hashes gigabytes per run (the dataset fingerprint,
// every output file for MANIFEST). The Swift code stays the reference and
// the fallback; the tests check both agree.
//
// The instruction sequence follows Intel's "SHA Extensions" paper: the
// state is kept as ABEF/CDGH halves, four rounds per SHA256RNDS2 pair, the
// message schedule by SHA256MSG1/MSG2.
#include "CSHA256.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <immintrin.h>

int lianzheng_sha256_hw_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
}

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Four rounds with message words `msg` (W[k..k+3]) and constants K[k..k+3].
#define QUAD(msg, k)                                                              \
    do {                                                                          \
        __m128i m = _mm_add_epi32((msg), _mm_loadu_si128((const __m128i *)&K[k])); \
        s1 = _mm_sha256rnds2_epu32(s1, s0, m);                                    \
        s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));           \
    } while (0)

// Four rounds with `a`, then the schedule: the next-but-three words from
// `b` (SHA256MSG2), and the first half of a later group's from `d` (MSG1).
#define STEP(a, b, d, k, msg1)                                                    \
    do {                                                                          \
        QUAD(a, k);                                                               \
        b = _mm_sha256msg2_epu32(_mm_add_epi32(b, _mm_alignr_epi8(a, d, 4)), a);  \
        if (msg1) d = _mm_sha256msg1_epu32(d, a);                                 \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
void lianzheng_sha256_hw_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
    t = _mm_shuffle_epi32(t, 0xB1);            // CDAB
    s1 = _mm_shuffle_epi32(s1, 0x1B);          // EFGH
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);    // ABEF
    s1 = _mm_blend_epi16(s1, t, 0xF0);         // CDGH

    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef = s0, cdgh = s1;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), byteswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), byteswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), byteswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), byteswap);

        QUAD(w0, 0);
        QUAD(w1, 4);
        w0 = _mm_sha256msg1_epu32(w0, w1);
        QUAD(w2, 8);
        w1 = _mm_sha256msg1_epu32(w1, w2);
        STEP(w3, w0, w2, 12, 1);
        STEP(w0, w1, w3, 16, 1);
        STEP(w1, w2, w0, 20, 1);
        STEP(w2, w3, w1, 24, 1);
        STEP(w3, w0, w2, 28, 1);
        STEP(w0, w1, w3, 32, 1);
        STEP(w1, w2, w0, 36, 1);
        STEP(w2, w3, w1, 40, 1);
        STEP(w3, w0, w2, 44, 1);
        STEP(w0, w1, w3, 48, 1);
        STEP(w1, w2, w0, 52, 0);
        STEP(w2, w3, w1, 56, 0);
        QUAD(w3, 60);

        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }

    t = _mm_shuffle_epi32(s0, 0x1B);           // FEBA
    s1 = _mm_shuffle_epi32(s1, 0xB1);          // DCHG
    s0 = _mm_blend_epi16(t, s1, 0xF0);         // DCBA
    s1 = _mm_alignr_epi8(s1, t, 8);            // HGFE
    _mm_storeu_si128((__m128i *)&state[0], s0);
    _mm_storeu_si128((__m128i *)&state[4], s1);
}

// Two independent messages at once. SHA256RNDS2 waits for its previous
// result, so one message leaves the SHA unit idle part of the time; the
// rounds of a second message fill it: about 1.3 times the throughput of
// one message after the other on the project's Xeon. Same instruction
// sequence as above, twice, interleaved.
#define QUAD2(ma, mb, k)                                                          \
    do {                                                                          \
        const __m128i kk = _mm_loadu_si128((const __m128i *)&K[k]);               \
        __m128i m_a = _mm_add_epi32((ma), kk), m_b = _mm_add_epi32((mb), kk);     \
        a1 = _mm_sha256rnds2_epu32(a1, a0, m_a);                                  \
        b1 = _mm_sha256rnds2_epu32(b1, b0, m_b);                                  \
        a0 = _mm_sha256rnds2_epu32(a0, a1, _mm_shuffle_epi32(m_a, 0x0E));         \
        b0 = _mm_sha256rnds2_epu32(b0, b1, _mm_shuffle_epi32(m_b, 0x0E));         \
    } while (0)

#define STEP2(xa, ya, za, xb, yb, zb, k, msg1)                                    \
    do {                                                                          \
        QUAD2(xa, xb, k);                                                         \
        ya = _mm_sha256msg2_epu32(_mm_add_epi32(ya, _mm_alignr_epi8(xa, za, 4)), xa); \
        yb = _mm_sha256msg2_epu32(_mm_add_epi32(yb, _mm_alignr_epi8(xb, zb, 4)), xb); \
        if (msg1) {                                                               \
            za = _mm_sha256msg1_epu32(za, xa);                                    \
            zb = _mm_sha256msg1_epu32(zb, xb);                                    \
        }                                                                         \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static inline void load_state(const uint32_t state[8], __m128i *abef, __m128i *cdgh) {
    __m128i t = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
    t = _mm_shuffle_epi32(t, 0xB1);            // CDAB
    s1 = _mm_shuffle_epi32(s1, 0x1B);          // EFGH
    *abef = _mm_alignr_epi8(t, s1, 8);         // ABEF
    *cdgh = _mm_blend_epi16(s1, t, 0xF0);      // CDGH
}

__attribute__((target("sha,sse4.1,ssse3")))
static inline void store_state(uint32_t state[8], __m128i abef, __m128i cdgh) {
    __m128i t = _mm_shuffle_epi32(abef, 0x1B); // FEBA
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);      // DCHG
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(t, cdgh, 0xF0));  // DCBA
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(cdgh, t, 8));     // HGFE
}

__attribute__((target("sha,sse4.1,ssse3")))
void lianzheng_sha256_hw_compress2(
    uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t blocks) {
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i a0, a1, b0, b1;
    load_state(state_a, &a0, &a1);
    load_state(state_b, &b0, &b1);

    for (; blocks > 0; blocks--, data_a += 64, data_b += 64) {
        const __m128i a_abef = a0, a_cdgh = a1, b_abef = b0, b_cdgh = b1;
        __m128i wa0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 0)), byteswap);
        __m128i wa1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 16)), byteswap);
        __m128i wa2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 32)), byteswap);
        __m128i wa3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_a + 48)), byteswap);
        __m128i wb0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 0)), byteswap);
        __m128i wb1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 16)), byteswap);
        __m128i wb2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 32)), byteswap);
        __m128i wb3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data_b + 48)), byteswap);

        QUAD2(wa0, wb0, 0);
        QUAD2(wa1, wb1, 4);
        wa0 = _mm_sha256msg1_epu32(wa0, wa1);
        wb0 = _mm_sha256msg1_epu32(wb0, wb1);
        QUAD2(wa2, wb2, 8);
        wa1 = _mm_sha256msg1_epu32(wa1, wa2);
        wb1 = _mm_sha256msg1_epu32(wb1, wb2);
        STEP2(wa3, wa0, wa2, wb3, wb0, wb2, 12, 1);
        STEP2(wa0, wa1, wa3, wb0, wb1, wb3, 16, 1);
        STEP2(wa1, wa2, wa0, wb1, wb2, wb0, 20, 1);
        STEP2(wa2, wa3, wa1, wb2, wb3, wb1, 24, 1);
        STEP2(wa3, wa0, wa2, wb3, wb0, wb2, 28, 1);
        STEP2(wa0, wa1, wa3, wb0, wb1, wb3, 32, 1);
        STEP2(wa1, wa2, wa0, wb1, wb2, wb0, 36, 1);
        STEP2(wa2, wa3, wa1, wb2, wb3, wb1, 40, 1);
        STEP2(wa3, wa0, wa2, wb3, wb0, wb2, 44, 1);
        STEP2(wa0, wa1, wa3, wb0, wb1, wb3, 48, 1);
        STEP2(wa1, wa2, wa0, wb1, wb2, wb0, 52, 0);
        STEP2(wa2, wa3, wa1, wb2, wb3, wb1, 56, 0);
        QUAD2(wa3, wb3, 60);

        a0 = _mm_add_epi32(a0, a_abef);
        a1 = _mm_add_epi32(a1, a_cdgh);
        b0 = _mm_add_epi32(b0, b_abef);
        b1 = _mm_add_epi32(b1, b_cdgh);
    }

    store_state(state_a, a0, a1);
    store_state(state_b, b0, b1);
}

#else

int lianzheng_sha256_hw_available(void) { return 0; }

void lianzheng_sha256_hw_compress2(
    uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t blocks) {
    (void)state_a;
    (void)data_a;
    (void)state_b;
    (void)data_b;
    (void)blocks;
}

void lianzheng_sha256_hw_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state;
    (void)data;
    (void)blocks;
}

#endif
