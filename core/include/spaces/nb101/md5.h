// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace epsinas {

/**
 * The MD5 digest of `bytes` (RFC 1321) as 32 lowercase hex digits, as Python's hashlib.md5(...).hexdigest() writes
 * it. Only used as the fingerprint function of the NAS-Bench-101 model hash, never for security.
 */
std::string md5Hex(std::string_view bytes);

} // namespace epsinas
