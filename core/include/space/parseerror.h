// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>

namespace epsinas {

/** Thrown for a malformed architecture description; what() says what is wrong and where. */
class ParseError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

} // namespace epsinas
