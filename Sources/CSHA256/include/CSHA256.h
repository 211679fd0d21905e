#ifndef LIANZHENG_CSHA256_H
#define LIANZHENG_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the SHA extensions (x86 SHA-NI with SSSE3
/// and SSE4.1), checked with cpuid once per call.
int lianzheng_sha256_hw_available(void);

/// Runs the SHA-256 compression function (FIPS 180-4 §6.2.2) over `blocks`
/// 64-byte blocks at `data`, updating the eight words of `state`, with the
/// SHA extensions. Only call it when `lianzheng_sha256_hw_available()`.
void lianzheng_sha256_hw_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same over two independent messages at once, `blocks` blocks of each
/// (faster than two calls: see sha256_hw.c). Only call it when
/// `lianzheng_sha256_hw_available()`.
void lianzheng_sha256_hw_compress2(
    uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8], const uint8_t *data_b, size_t blocks);

#endif
