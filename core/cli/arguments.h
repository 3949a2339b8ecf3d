// SPDX-License-Identifier: MIT
#pragma once

#include <climits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace epsinas::cli {

/** Bad usage or input: main() prints the message on stderr and exits with status 2. */
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/**
 * Minimal `--name value` / `--name=value` / `--flag` parser. Options may repeat (e.g. --arch); value() refuses an
 * option given twice. Anything not starting with "--" is a positional argument. Unknown options, a flag given a
 * value and a value option followed by another option instead of its value are rejected by name, so a typo never
 * silently changes a run. Messages quote at most kQuoteLimit bytes of an argument.
 */
class Arguments {
public:
    /** Other names for options, (alias, option) pairs: `--alias` is read as `--option`. */
    using Aliases = std::vector<std::pair<std::string, std::string>>;

    Arguments(const std::vector<std::string>& args, const std::vector<std::string>& valueOptions,
        const std::vector<std::string>& flagOptions, const Aliases& aliases = {});

    bool has(const std::string& name) const { return m_values.count(name) > 0; }
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    const std::vector<std::string>& values(const std::string& name) const;
    /** The integer value of `name` (`fallback` when absent); throws UsageError outside [minimum, maximum]. */
    int intValue(const std::string& name, int fallback, int minimum, int maximum = INT_MAX) const;
    const std::vector<std::string>& positional() const { return m_positional; }

    /** Throws UsageError naming the first positional argument, for commands that take none. */
    void rejectPositional() const;
    /** Throws UsageError unless exactly one of `names` is given (the sources a command chooses between). */
    void requireExactlyOne(const std::vector<std::string>& names) const;

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positional;
};

} // namespace epsinas::cli
