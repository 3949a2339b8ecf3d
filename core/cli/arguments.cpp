// SPDX-License-Identifier: MIT
#include "cli/arguments.h"

#include "io/inputfile.h"

#include <algorithm>

namespace epsinas::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::vector<std::string>& valueOptions,
    const std::vector<std::string>& flagOptions, const Aliases& aliases)
{
    auto isIn = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            m_positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::string inlineValue;
        const bool hasInlineValue = name.find('=') != std::string::npos;
        if (hasInlineValue) {
            inlineValue = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        for (const auto& [alias, option] : aliases) {
            if (name == alias)
                name = option;
        }
        if (isIn(flagOptions, name)) {
            if (hasInlineValue)
                throw UsageError("option --" + name + " takes no value (got '" + excerpt(arg) + "')");
            m_values[name].push_back("1");
        } else if (isIn(valueOptions, name)) {
            if (!hasInlineValue && i + 1 >= args.size())
                throw UsageError("option --" + name + " needs a value");
            // `--out --batch 16` means a forgotten value, not a file named "--batch"; --out=--batch says otherwise.
            if (!hasInlineValue && args[i + 1].rfind("--", 0) == 0)
                throw UsageError("option --" + name + " needs a value, got the option '" + excerpt(args[i + 1]) + "'");
            m_values[name].push_back(hasInlineValue ? inlineValue : args[++i]);
        } else {
            throw UsageError("unknown option --" + excerpt(name));
        }
    }
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const
{
    const auto found = m_values.find(name);
    if (found == m_values.end())
        return fallback;
    if (found->second.size() > 1)
        throw UsageError("option --" + name + " given more than once");
    return found->second.front();
}

const std::vector<std::string>& Arguments::values(const std::string& name) const
{
    static const std::vector<std::string> kNone;
    const auto found = m_values.find(name);
    return found == m_values.end() ? kNone : found->second;
}

int Arguments::intValue(const std::string& name, int fallback, int minimum, int maximum) const
{
    if (!has(name))
        return fallback;
    const std::string text = value(name);
    const std::string range = maximum == INT_MAX ? "at least " + std::to_string(minimum)
                                                 : "from " + std::to_string(minimum) + " to " + std::to_string(maximum);
    std::size_t used = 0;
    int number = 0;
    try {
        number = std::stoi(text, &used);
    } catch (const std::out_of_range&) {
        throw UsageError("option --" + name + " must be " + range + ", got '" + excerpt(text) + "'");
    } catch (const std::invalid_argument&) {
        used = 0;
    }
    // stoi also skips leading blanks and takes a '+'; an option's integer is written plainly.
    const bool plain = !text.empty() && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'));
    if (used == 0 || used != text.size() || !plain)
        throw UsageError("option --" + name + " expects an integer, got '" + excerpt(text) + "'");
    if (number < minimum || number > maximum)
        throw UsageError("option --" + name + " must be " + range + ", got " + std::to_string(number));
    return number;
}

void Arguments::rejectPositional() const
{
    if (!m_positional.empty())
        throw UsageError("unexpected argument '" + excerpt(m_positional.front()) + "'");
}

void Arguments::requireExactlyOne(const std::vector<std::string>& names) const
{
    const auto given = std::count_if(names.begin(), names.end(), [this](const std::string& name) { return has(name); });
    if (given == 1)
        return;
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "--" : ", --") + names[i];
    throw UsageError("give exactly one of " + list);
}

} // namespace epsinas::cli
