// UTF-8 validation with AVX2, after the "lookup" algorithm of John Keiser
// and Daniel Lemire ("Validating UTF-8 In Less Than One Instruction Per
// Byte", Software: Practice and Experience 51(5), 2021).
//
// Every byte is classified together with the byte before it by three
// 16-entry table lookups (high nibble of the previous byte, its low nibble,
// high nibble of the current byte). Each table entry is a set of error
// bits; a pair is wrong when all three lookups share a bit. Continuation
// bytes that a three- or four-byte lead two or three places back demands
// are checked separately (bit 7), and a block may not end inside a
// sequence unless the next block continues it.

#include "CUTF8.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int lianzheng_utf8_avx2_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned osxsave = 1u << 27, avx = 1u << 28;
    if ((c & osxsave) == 0 || (c & avx) == 0) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6) != 6) return 0;  // XMM and YMM state saved by the OS
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 5)) != 0;
}

// Error bits of the tables (one per kind of mistake).
enum {
    TOO_SHORT = 1 << 0,       // a lead byte not followed by a continuation
    TOO_LONG = 1 << 1,        // a continuation after ASCII
    OVERLONG_3 = 1 << 2,      // E0 80..9F
    TOO_LARGE = 1 << 3,       // F4 90..BF, F5..FF
    SURROGATE = 1 << 4,       // ED A0..BF
    OVERLONG_2 = 1 << 5,      // C0, C1
    TOO_LARGE_1000 = 1 << 6,  // F5..FF followed by 80..8F
    OVERLONG_4 = 1 << 6,      // F0 80..8F
    TWO_CONTS = 1 << 7,       // two continuations (legal only after a 3- or 4-byte lead)
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

// A 16-entry byte table in both 128-bit lanes (vpshufb looks up per lane).
#define TABLE(...) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const uint8_t[16]){__VA_ARGS__}))

__attribute__((target("avx2")))
static inline __m256i high_nibbles(__m256i v) {
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

// The 32 bytes that end n bytes before the end of `input`, `previous`
// being the block before it.
#define PREVIOUS(input, previous, n) \
    _mm256_alignr_epi8(input, _mm256_permute2x128_si256(previous, input, 0x21), 16 - (n))

__attribute__((target("avx2")))
static inline __m256i block_errors(__m256i input, __m256i previous) {
    const __m256i byte_1_high_table = TABLE(
        // 0xxx: ASCII first
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        // 10xx: a continuation first
        TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
        // 1100: two-byte lead C0..CF
        TOO_SHORT | OVERLONG_2,
        // 1101: two-byte lead D0..DF
        TOO_SHORT,
        // 1110: three-byte lead
        TOO_SHORT | OVERLONG_3 | SURROGATE,
        // 1111: four-byte lead (or F5..FF)
        TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    const __m256i byte_1_low_table = TABLE(
        CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,  // x0
        CARRY | OVERLONG_2,                            // x1
        CARRY, CARRY,                                  // x2, x3
        CARRY | TOO_LARGE,                             // x4
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // x5
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // x6
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // x7
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // x8
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // x9
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // xA
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // xB
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // xC
        CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,  // xD
        CARRY | TOO_LARGE | TOO_LARGE_1000,            // xE
        CARRY | TOO_LARGE | TOO_LARGE_1000);           // xF
    const __m256i byte_2_high_table = TABLE(
        // 0xxx: ASCII second
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        // 1000: continuation 80..8F
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
        // 1001: continuation 90..9F
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        // 101x: continuation A0..BF
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        // 11xx: a lead second
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);

    __m256i prev1 = PREVIOUS(input, previous, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(byte_1_high_table, high_nibbles(prev1)),
            _mm256_shuffle_epi8(byte_1_low_table, _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)))),
        _mm256_shuffle_epi8(byte_2_high_table, high_nibbles(input)));

    // Bit 7 where a lead two places back (E0..FF) or three places back
    // (F0..FF) requires this byte to be a continuation: exactly where the
    // tables flagged TWO_CONTS when all is well.
    __m256i prev2 = PREVIOUS(input, previous, 2);
    __m256i prev3 = PREVIOUS(input, previous, 3);
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must_continue = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must_continue, special);
}

// Non-zero where the block's last three bytes begin a sequence it does
// not finish: a lead of any length last, of three or four bytes second to
// last, of four bytes third to last.
__attribute__((target("avx2")))
static inline __m256i unfinished(__m256i input) {
    const __m256i limits = _mm256_setr_epi8(
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    return _mm256_subs_epu8(input, limits);
}

__attribute__((target("avx2")))
int lianzheng_utf8_valid_avx2(const uint8_t *data, size_t length) {
    __m256i error = _mm256_setzero_si256();
    __m256i previous = _mm256_setzero_si256();
    __m256i previous_unfinished = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= length; i += 32) {
        __m256i input = _mm256_loadu_si256((const __m256i *)(data + i));
        if (_mm256_movemask_epi8(input) == 0) {
            // All ASCII: fine unless the block before left a sequence open.
            error = _mm256_or_si256(error, previous_unfinished);
            previous_unfinished = _mm256_setzero_si256();
        } else {
            error = _mm256_or_si256(error, block_errors(input, previous));
            previous_unfinished = unfinished(input);
        }
        previous = input;
    }
    // The tail, padded with zeros (ASCII): a sequence cut short by the end
    // of the data meets a zero and is flagged like any other.
    uint8_t tail[32] = {0};
    if (length > i) memcpy(tail, data + i, length - i);
    __m256i input = _mm256_loadu_si256((const __m256i *)tail);
    error = _mm256_or_si256(error, block_errors(input, previous));
    return _mm256_testz_si256(error, error);
}

#else

int lianzheng_utf8_avx2_available(void) { return 0; }
int lianzheng_utf8_valid_avx2(const uint8_t *data, size_t length) { (void)data; (void)length; return 0; }

#endif
