#ifndef LIANZHENG_CUTF8_H
#define LIANZHENG_CUTF8_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor and the operating system support AVX2 (cpuid
/// and the YMM state enabled in XCR0).
int lianzheng_utf8_avx2_available(void);

/// Whether the `length` bytes at `data` are well-formed UTF-8 (RFC 3629:
/// no overlong forms, no surrogates, nothing above U+10FFFF, no sequence
/// cut short at the end), 32 bytes a step with AVX2. Only call it when
/// `lianzheng_utf8_avx2_available()`. It gives a verdict, not a place:
/// the caller finds the first bad byte with a scalar scan.
int lianzheng_utf8_valid_avx2(const uint8_t *data, size_t length);

#endif
