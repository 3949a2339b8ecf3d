// SPDX-License-Identifier: MIT
#include "cli/arguments.h"

#include <algorithm>

namespace epsinas::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::vector<std::string>& valueOptions,
    const std::vector<std::string>& flagOptions)
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
        if (isIn(flagOptions, name) && !hasInlineValue) {
            m_values[name].push_back("1");
        } else if (isIn(valueOptions, name)) {
            if (!hasInlineValue && i + 1 >= args.size())
                throw UsageError("option --" + name + " needs a value");
            m_values[name].push_back(hasInlineValue ? inlineValue : args[++i]);
        } else {
            throw UsageError("unknown option --" + name);
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

int Arguments::intValue(const std::string& name, int fallback, int minimum) const
{
    if (!has(name))
        return fallback;
    const std::string text = value(name);
    std::size_t used = 0;
    int number = 0;
    try {
        number = std::stoi(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw UsageError("option --" + name + " expects an integer, got '" + text + "'");
    if (number < minimum)
        throw UsageError("option --" + name + " must be at least " + std::to_string(minimum));
    return number;
}

void Arguments::rejectPositional() const
{
    if (!m_positional.empty())
        throw UsageError("unexpected argument '" + m_positional.front() + "'");
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
