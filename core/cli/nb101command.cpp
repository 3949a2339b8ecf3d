// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"

namespace epsinas::cli {

int scoreNb101Command(const std::vector<std::string>&)
{
    throw UsageError("--space nb101 is not available in this build yet");
}

} // namespace epsinas::cli
