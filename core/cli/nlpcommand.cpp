// SPDX-License-Identifier: MIT
#include "cli/arguments.h"
#include "cli/commands.h"

namespace epsinas::cli {

int scoreNlpCommand(const std::vector<std::string>&)
{
    throw UsageError("--space nlp is not available in this build yet");
}

} // namespace epsinas::cli
